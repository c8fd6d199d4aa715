package dev.meshpassthrough.envoy.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clusters the chains of one translation send traffic to, each once by name (the first spec of
 * a name is kept), handed out sorted by name: one hash-map insert per chain and one sort at the
 * end, where a sorted map would compare names at every insert. The exact profile's chains of an
 * HTTP leaf share one list of their virtual hosts' clusters, which the same leaf repeats at every
 * IP node of its port: a list already collected is recognised by identity and skipped, instead of
 * adding every virtual host's cluster again at every node. Not thread-safe: one per translation.
 */
public final class ClusterCollector {
  private final Map<String, ClusterSpec> byName = new HashMap<>();
  private final Set<List<ClusterSpec>> collected =
      Collections.newSetFromMap(new IdentityHashMap<>());

  /** An empty collector. */
  public ClusterCollector() {}

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
      byName.putIfAbsent(spec.name(), spec);
    }
  }

  /**
   * Every cluster collected, sorted by name.
   *
   * @return a new list, in {@link String#compareTo} order of the names
   */
  public List<ClusterSpec> sorted() {
    // The map's own entries, sorted by their names: no look-up per name afterwards.
    @SuppressWarnings("unchecked")
    Map.Entry<String, ClusterSpec>[] entries = byName.entrySet().toArray(new Map.Entry[0]);
    Arrays.sort(entries, (a, b) -> a.getKey().compareTo(b.getKey()));
    List<ClusterSpec> sorted = new ArrayList<>(entries.length);
    for (Map.Entry<String, ClusterSpec> entry : entries) {
      sorted.add(entry.getValue());
    }
    return sorted;
  }
}
