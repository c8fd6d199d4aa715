package dev.meshpassthrough.envoy.internal;

import com.google.common.collect.Sets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The clusters the chains of one translation send traffic to, each once by name (the first spec of
 * a name is kept), in the order they were first added: one hash-map insert per chain. They are not
 * sorted here: the translation's result sorts every cluster by name once ({@link NameOrder}), and
 * the order they are added in is the chains' order, which the input decides. The exact profile's
 * chains of an HTTP leaf share one list of their virtual hosts' clusters, which the same leaf
 * repeats at every IP node of its port: a list already collected is recognised by identity and
 * skipped, instead of adding every virtual host's cluster again at every node. Not thread-safe: one
 * per translation.
 */
public final class ClusterCollector {
  /**
   * The names collected, to keep the first spec of each: a set, as nothing is looked up by name.
   */
  private final Set<String> names;

  /** The specs kept, in the order they were first added: walked once, contiguous. */
  private final List<ClusterSpec> inOrder;

  private final Set<List<ClusterSpec>> collected =
      Collections.newSetFromMap(new IdentityHashMap<>());

  /** An empty collector. */
  public ClusterCollector() {
    this(0);
  }

  /**
   * An empty collector with room for {@code expected} clusters without growing (a policy has about
   * a cluster per entry).
   *
   * @param expected how many clusters are expected; 0 or more
   */
  public ClusterCollector(int expected) {
    names = Sets.newHashSetWithExpectedSize(expected);
    inOrder = new ArrayList<>(expected);
  }

  /**
   * Adds the clusters of {@code specs} whose names were not collected yet.
   *
   * @param specs the clusters of one chain; a list of more than one already added is skipped
   */
  public void addAll(List<ClusterSpec> specs) {
    if (specs.size() > 1 && !collected.add(specs)) {
      return;
    }
    for (ClusterSpec spec : specs) {
      if (names.add(spec.name())) {
        inOrder.add(spec);
      }
    }
  }

  /**
   * Every cluster collected: no two of the same name.
   *
   * @return a new list, in the order the clusters were first added
   */
  public List<ClusterSpec> inOrderAdded() {
    return List.copyOf(inOrder);
  }
}
