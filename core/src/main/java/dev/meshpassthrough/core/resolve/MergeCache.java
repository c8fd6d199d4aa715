package dev.meshpassthrough.core.resolve;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What resolving a proxy computes after selection, shared by the proxies that select the same
 * policies: the merged and effective conf, the outcome and the merge's warnings depend only on the
 * selected policies in precedence order, the control plane, and whether the plugin applies to the
 * proxy ({@link ProxyDescriptor#passthroughApplicability}). Kuma keeps an LRU cache of matched
 * policies for the same reason: many proxies select exactly the same Mesh-wide policies.
 *
 * <p>Bounded ({@link #MAX_ENTRIES} merges, least recently used out first) and thread-safe; a merge
 * is computed once per key even when several threads ask at once. Keys are the policies' positions
 * in their {@link PolicySet}, so a key costs a few integers, not the policies' contents.
 */
final class MergeCache {
  /**
   * The most merges kept per set: far more distinct selections than a mesh usually has (each key is
   * a distinct combination of selected policies), few enough that their merged confs do not crowd
   * the heap.
   */
  static final int MAX_ENTRIES = 4096;

  private final Map<MeshPassthroughPolicy, Integer> positions = new IdentityHashMap<>();
  private final Cache<Key, Resolution> cache =
      CacheBuilder.newBuilder().maximumSize(MAX_ENTRIES).build();

  MergeCache(List<MeshPassthroughPolicy> policies) {
    for (int i = 0; i < policies.size(); i++) {
      positions.put(policies.get(i), i);
    }
  }

  private record Key(
      List<Integer> policies,
      ProxyDescriptor.Applicability applicability,
      ControlPlaneContext context) {}

  /**
   * The resolution of {@code applied} for a proxy with {@code applicability} under {@code context},
   * without selection warnings, computed by {@code compute} unless a proxy that selected the same
   * policies computed it before. Its {@link Resolution#applied()} is that proxy's: take only the
   * merged and effective conf, the outcome and the warnings.
   */
  Resolution get(
      List<AppliedPolicy> applied,
      ProxyDescriptor.Applicability applicability,
      ControlPlaneContext context,
      Supplier<Resolution> compute) {
    List<Integer> key = new ArrayList<>(applied.size());
    for (AppliedPolicy policy : applied) {
      Integer position = positions.get(policy.policy());
      if (position == null) {
        // Not one of this set's policies (the index only offers its own): not shared.
        return compute.get();
      }
      key.add(position);
    }
    try {
      return cache.get(new Key(key, applicability, Objects.requireNonNull(context)), compute::get);
    } catch (UncheckedExecutionException e) {
      // What computing throws, as resolving without the cache would.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("merging the selected policies failed", e.getCause());
    }
  }
}
