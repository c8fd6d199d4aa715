package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.internal.KumaLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Which policies of a set can select a proxy, without looking at every policy: per Kuma line and
 * mesh, the policies that must always be tested (kind Mesh, MeshSubset, Dataplane policies that
 * select every proxy), Dataplane policies by one of their label pairs, and Kuma 2.x by-name
 * policies by the name they select.
 *
 * <p>A labelled policy is filed under its rarest pair in the mesh (ties: the first in key order),
 * so that a proxy only tests the policies one of whose pairs it carries. Immutable once built and
 * safe to share across threads; building is linear in the number of label pairs.
 */
final class PolicyIndex {
  private final Map<KumaLine, Map<String, MeshIndex>> byLine = new EnumMap<>(KumaLine.class);

  private PolicyIndex() {}

  /** Indexes {@code policies} for every Kuma line. */
  static PolicyIndex of(Collection<MeshPassthroughPolicy> policies) {
    PolicyIndex index = new PolicyIndex();
    Map<String, List<MeshPassthroughPolicy>> byMesh = new HashMap<>();
    policies.forEach(
        p -> byMesh.computeIfAbsent(p.metadata().mesh(), m -> new ArrayList<>()).add(p));
    for (KumaLine line : KumaLine.values()) {
      Map<String, MeshIndex> meshes = new HashMap<>();
      byMesh.forEach((mesh, list) -> meshes.put(mesh, MeshIndex.of(list, line)));
      index.byLine.put(line, meshes);
    }
    return index;
  }

  /**
   * The policies that may select {@code proxy} under {@code line}: a superset of the selecting
   * ones, each once, in no particular order.
   */
  List<MeshPassthroughPolicy> candidates(ProxyDescriptor proxy, KumaLine line) {
    // of() indexes every KumaLine.
    MeshIndex mesh = Objects.requireNonNull(byLine.get(line)).get(proxy.mesh());
    return mesh == null ? List.of() : mesh.candidates(proxy, line);
  }

  private record LabelPair(String key, String value) {}

  private static final class MeshIndex {
    private final List<MeshPassthroughPolicy> always = new ArrayList<>();
    private final Map<LabelPair, List<MeshPassthroughPolicy>> byLabel = new HashMap<>();
    private final Map<String, List<MeshPassthroughPolicy>> byName = new HashMap<>();

    static MeshIndex of(List<MeshPassthroughPolicy> policies, KumaLine line) {
      Map<LabelPair, Integer> frequency = new HashMap<>();
      for (MeshPassthroughPolicy policy : policies) {
        labelSelector(policy.targetRef(), line)
            .ifPresent(
                labels ->
                    labels.forEach(
                        (k, v) -> frequency.merge(new LabelPair(k, v), 1, Integer::sum)));
      }
      Comparator<LabelPair> rarestFirst =
          Comparator.comparing((LabelPair p) -> frequency.get(p))
              .thenComparing(LabelPair::key)
              .thenComparing(LabelPair::value);
      MeshIndex index = new MeshIndex();
      for (MeshPassthroughPolicy policy : policies) {
        TargetRef ref = policy.targetRef();
        Optional<SortedMap<String, String>> labels = labelSelector(ref, line);
        if (labels.isPresent()) {
          LabelPair pair =
              labels.get().entrySet().stream()
                  .map(e -> new LabelPair(e.getKey(), e.getValue()))
                  .min(rarestFirst)
                  .orElseThrow();
          index.byLabel.computeIfAbsent(pair, k -> new ArrayList<>()).add(policy);
        } else if (Precedence.selector(ref, line) == RankKeys.Selector.BY_NAME) {
          index
              .byName
              .computeIfAbsent(ref.name().orElseThrow(), k -> new ArrayList<>())
              .add(policy);
        } else {
          index.always.add(policy);
        }
      }
      return index;
    }

    /**
     * The non-empty label selector of a Dataplane policy that selects by labels under {@code line}.
     */
    private static Optional<SortedMap<String, String>> labelSelector(TargetRef ref, KumaLine line) {
      if (Precedence.selector(ref, line) != RankKeys.Selector.BY_LABELS) {
        return Optional.empty();
      }
      return ref.labels().filter(l -> !l.isEmpty());
    }

    List<MeshPassthroughPolicy> candidates(ProxyDescriptor proxy, KumaLine line) {
      List<MeshPassthroughPolicy> out = new ArrayList<>(always);
      Map<String, String> labels = new HashMap<>(proxy.labels());
      if (line == KumaLine.V3) {
        // Kuma 3.x compares kuma.io/display-name with the display name, which falls back to the
        // core name.
        labels.put(KumaLabels.DISPLAY_NAME, proxy.displayName());
      } else {
        out.addAll(byName.getOrDefault(proxy.displayName(), List.of()));
      }
      labels.forEach((k, v) -> out.addAll(byLabel.getOrDefault(new LabelPair(k, v), List.of())));
      return out;
    }
  }
}
