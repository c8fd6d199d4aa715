package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.model.TargetRefKind;
import dev.meshpassthrough.core.resolve.internal.KumaLabels;
import java.util.Map;
import java.util.Optional;

/** The rank keys of docs/selection-and-merge.md#precedence, per Kuma line. */
final class Precedence {
  private Precedence() {}

  /** See {@link RankKeys#of(MeshPassthroughPolicy, KumaLine)}. */
  static RankKeys keys(MeshPassthroughPolicy policy, KumaLine line) {
    Map<String, String> labels = policy.metadata().labels();
    TargetRefKind kind = policy.targetRef().kind();
    RankKeys.Selector selector = selector(policy.targetRef(), line);
    Optional<String> origin = KumaLabels.get(labels, KumaLabels.ORIGIN);
    String role = KumaLabels.role(labels);
    return new RankKeys(
        kind,
        kindRank(kind, line),
        selector,
        specificityRank(selector, line),
        origin,
        originRank(origin),
        role,
        roleRank(role),
        policy.metadata().displayName(),
        policy.metadata().name());
  }

  /** Mesh 1, Dataplane 2, MeshSubset 3 in Kuma 2.x (unknown, 0, in Kuma 3.x). */
  static int kindRank(TargetRefKind kind, KumaLine line) {
    return switch (kind) {
      case MESH -> 1;
      case DATAPLANE -> 2;
      case MESH_SUBSET -> line == KumaLine.V2 ? 3 : 0;
    };
  }

  /**
   * How a policy selects. Kuma 3.x has no {@code name} in its targetRef, so a stored one is not
   * read: the policy selects by its labels, or every proxy.
   */
  static RankKeys.Selector selector(TargetRef ref, KumaLine line) {
    if (ref.kind() != TargetRefKind.DATAPLANE) {
      return RankKeys.Selector.NOT_DATAPLANE;
    }
    if (line == KumaLine.V2 && ref.name().filter(n -> !n.isEmpty()).isPresent()) {
      return RankKeys.Selector.BY_NAME;
    }
    return ref.labels().isPresent() ? RankKeys.Selector.BY_LABELS : RankKeys.Selector.SELECT_ALL;
  }

  /**
   * Kuma 2.x: by name 1, everything else 0. Kuma compares by-name with by-labels only, which is not
   * transitive once a select-all policy joins (docs/selection-and-merge.md#dataplane-specificity);
   * one rank per policy makes it a total order that agrees with Kuma on every pair but select-all
   * against by-name.
   */
  static int specificityRank(RankKeys.Selector selector, KumaLine line) {
    return line == KumaLine.V2 && selector == RankKeys.Selector.BY_NAME ? 1 : 0;
  }

  /** Other 0, {@code global} 1, missing or empty 2, {@code zone} 3. */
  static int originRank(Optional<String> origin) {
    if (origin.isEmpty()) {
      return 2;
    }
    return switch (origin.get()) {
      case KumaLabels.GLOBAL_ORIGIN -> 1;
      case KumaLabels.ZONE_ORIGIN -> 3;
      default -> 0;
    };
  }

  /**
   * Other 0, {@code system} 1, {@code producer} 2, {@code consumer} 3, {@code workload-owner} 4.
   */
  static int roleRank(String role) {
    return switch (role) {
      case KumaLabels.SYSTEM -> 1;
      case KumaLabels.PRODUCER -> 2;
      case KumaLabels.CONSUMER -> 3;
      case KumaLabels.WORKLOAD_OWNER -> 4;
      default -> 0;
    };
  }

  /** Code point order, which is the byte order of UTF-8: Kuma compares Go strings byte by byte. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
