package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every MeshPassthrough policy a control plane stores, indexed once for resolving many proxies.
 *
 * <p>Immutable and safe to share across threads. Kind Mesh policies are tested for every proxy of
 * their mesh; Dataplane policies with labels are filed under one label pair, Kuma 2.x by-name
 * policies under the name they select, so that resolving a proxy tests the policies that can select
 * it, not every policy. Proxies that select the same policies share the merge of those policies
 * ({@link MergeCache}, bounded), as Kuma caches matched policies.
 */
public final class PolicySet {
  private static final Comparator<MeshPassthroughPolicy> BY_IDENTITY =
      Comparator.comparing((MeshPassthroughPolicy p) -> p.metadata().mesh())
          .thenComparing(p -> p.metadata().name());

  private final List<MeshPassthroughPolicy> policies;
  private final PolicyIndex index;
  private final MergeCache merges;

  private PolicySet(List<MeshPassthroughPolicy> policies) {
    this.policies = policies;
    this.index = PolicyIndex.of(policies);
    this.merges = new MergeCache(policies);
  }

  /**
   * Indexes {@code policies}, in any order.
   *
   * @param policies validated policies of any meshes, in stored form; never null and without null
   *     elements; copied
   * @return the indexed set; equal collections in any order give equal sets
   * @throws IllegalArgumentException when two policies of one mesh have the same core name, which
   *     Kuma's store cannot hold
   */
  public static PolicySet of(Collection<MeshPassthroughPolicy> policies) {
    List<MeshPassthroughPolicy> sorted = new ArrayList<>(policies);
    sorted.sort(BY_IDENTITY);
    Set<List<String>> seen = new HashSet<>();
    for (MeshPassthroughPolicy policy : sorted) {
      if (!seen.add(List.of(policy.metadata().mesh(), policy.metadata().name()))) {
        throw new IllegalArgumentException(
            "two policies of mesh "
                + policy.metadata().mesh()
                + " are named "
                + policy.metadata().name());
      }
    }
    return new PolicySet(List.copyOf(sorted));
  }

  /**
   * The policies, sorted by mesh and core name.
   *
   * @return an unmodifiable list, whatever order {@link #of(Collection)} was given
   */
  public List<MeshPassthroughPolicy> policies() {
    return policies;
  }

  /**
   * The number of policies.
   *
   * @return the size of {@link #policies()}, 0 or more
   */
  public int size() {
    return policies.size();
  }

  PolicyIndex index() {
    return index;
  }

  /** The merges of this set's policies that resolving proxies computed, shared between them. */
  MergeCache merges() {
    return merges;
  }
}
