package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.TargetRefKind;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys that place a policy in the precedence list of a proxy
 * (docs/selection-and-merge.md#precedence), compared in this order by {@link #PRECEDENCE},
 * ascending, weakest first:
 *
 * <ol>
 *   <li>kind rank: Mesh 1, Dataplane 2, Kuma 2.x MeshSubset 3;
 *   <li>Dataplane specificity, Kuma 2.x only: by name 1, by labels and select-all 0 (a
 *       deterministic answer to Kuma's non-transitive step, see {@link Selector});
 *   <li>origin rank: other 0, {@code global} 1, missing 2, {@code zone} 3;
 *   <li>role rank: other 0, {@code system} or missing 1, {@code producer} 2, {@code consumer} 3,
 *       {@code workload-owner} 4;
 *   <li>display name, descending in code point order (which is UTF-8 byte order): the smallest name
 *       is the strongest;
 *   <li>core name, descending in the same order: a last key of meshpassthrough's own, since Kuma
 *       leaves full ties to an unstable sort (docs/selection-and-merge.md#full-ties).
 * </ol>
 *
 * <p>Within one mesh core names are unique, so the order is total.
 *
 * @param kind the targetRef kind
 * @param kindRank its rank for the Kuma line
 * @param selector how a Dataplane policy selects
 * @param specificityRank its rank for the Kuma line
 * @param origin the {@code kuma.io/origin} label, if set and not empty
 * @param originRank its rank
 * @param role the {@code kuma.io/policy-role} label, {@code system} when missing or empty
 * @param roleRank its rank
 * @param displayName the display name
 * @param coreName the core name
 */
public record RankKeys(
    TargetRefKind kind,
    int kindRank,
    Selector selector,
    int specificityRank,
    Optional<String> origin,
    int originRank,
    String role,
    int roleRank,
    String displayName,
    String coreName) {

  /** Names in descending code point order: the smaller name is the stronger policy. */
  private static final Comparator<String> DESCENDING = (a, b) -> Precedence.compareCodePoints(b, a);

  /** Weakest first; total for the keys of one mesh's policies. */
  public static final Comparator<RankKeys> PRECEDENCE =
      Comparator.comparingInt(RankKeys::kindRank)
          .thenComparingInt(RankKeys::specificityRank)
          .thenComparingInt(RankKeys::originRank)
          .thenComparingInt(RankKeys::roleRank)
          .thenComparing(RankKeys::displayName, DESCENDING)
          .thenComparing(RankKeys::coreName, DESCENDING);

  /**
   * Checks for null.
   *
   * @param kind the targetRef kind, never null
   * @param kindRank its rank for the Kuma line: 1 to 3, or 0 for a kind the line does not know
   * @param selector how a Dataplane policy selects, never null
   * @param specificityRank its rank for the Kuma line, 0 or 1
   * @param origin the {@code kuma.io/origin} label, or empty when missing or empty
   * @param originRank its rank, 0 to 3
   * @param role the {@code kuma.io/policy-role} label, never null
   * @param roleRank its rank, 0 to 4
   * @param displayName the display name, never null
   * @param coreName the core name, never null
   * @throws NullPointerException when a component of a reference type is null
   */
  public RankKeys {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(coreName, "coreName");
  }

  /**
   * The keys of {@code policy} under the rules of {@code line}.
   *
   * @param policy a validated policy in stored form, its labels read for origin, role and display
   *     name; never null
   * @param line the Kuma line whose ranks apply, never null
   * @return the keys; equal policies give equal keys whatever else is resolved
   */
  public static RankKeys of(MeshPassthroughPolicy policy, KumaLine line) {
    return Precedence.keys(policy, line);
  }

  /** How a policy selects proxies, for the Dataplane specificity step. */
  public enum Selector {
    /** Not a Dataplane policy: the step does not apply. */
    NOT_DATAPLANE,
    /** A Dataplane policy without labels (or name): every proxy. */
    SELECT_ALL,
    /** A Dataplane policy with labels. */
    BY_LABELS,
    /**
     * Kuma 2.x: a Dataplane policy with a name. Kuma ranks it above by-labels but not above
     * select-all, which makes its sort depend on input order
     * (docs/selection-and-merge.md#dataplane-specificity); here it ranks above both.
     */
    BY_NAME
  }
}
