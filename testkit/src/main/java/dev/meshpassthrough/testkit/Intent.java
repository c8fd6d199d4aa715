package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.Match;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy means for one connection, independent of Envoy.
 *
 * @param verdict whether the policy allows the connection
 * @param coveringEntries the indexes of the {@code appendMatch} entries that cover it, ascending;
 *     empty for modes {@code All} and {@code None}
 * @param coveredBy those entries, in the same order
 * @param reason one sentence on why
 * @param upstreams where the policy lets an allowed connection go, one per covering entry (for mode
 *     {@code All}, the dialed address), deduplicated, sorted by kind, host and port; empty for a
 *     denied connection. See {@link PolicyIntent} for how a {@link
 *     dev.meshpassthrough.envoy.DomainPinning} chooses them
 */
public record Intent(
    Verdict verdict,
    List<Integer> coveringEntries,
    List<Match> coveredBy,
    String reason,
    List<Upstream> upstreams) {
  /**
   * An intent without upstreams: nothing is said about where an allowed connection goes.
   *
   * @param verdict whether the policy allows the connection, not null
   * @param coveringEntries the indexes of the {@code appendMatch} entries that cover it, ascending;
   *     copied; not null, nor any element
   * @param coveredBy those entries, in the same order; copied; not null, nor any element
   * @param reason one sentence on why, not null
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when the two lists differ in size
   */
  public Intent(
      Verdict verdict, List<Integer> coveringEntries, List<Match> coveredBy, String reason) {
    this(verdict, coveringEntries, coveredBy, reason, List.of());
  }

  /**
   * Copies the lists and checks that they have the same size.
   *
   * @param verdict whether the policy allows the connection, not null
   * @param coveringEntries the indexes of the {@code appendMatch} entries that cover it, ascending;
   *     copied; not null, nor any element
   * @param coveredBy those entries, in the same order; copied; not null, nor any element
   * @param reason one sentence on why, not null
   * @param upstreams the acceptable upstreams of an allowed connection, sorted and without
   *     duplicates; copied; not null, nor any element; empty when denied
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when the two lists differ in size, or a denied intent lists
   *     upstreams
   */
  public Intent {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    coveringEntries = List.copyOf(coveringEntries);
    coveredBy = List.copyOf(coveredBy);
    if (coveringEntries.size() != coveredBy.size()) {
      throw new IllegalArgumentException("one index per covering entry");
    }
    upstreams = List.copyOf(upstreams);
    if (verdict == Verdict.DENY && !upstreams.isEmpty()) {
      throw new IllegalArgumentException("a denied connection goes nowhere: " + upstreams);
    }
  }

  /**
   * Whether {@code upstream} is one the policy accepts for this connection.
   *
   * @param upstream where Envoy sends the connection, or empty when the decider does not know; not
   *     null
   * @return true when the intent lists no upstreams, the upstream is unknown, or it is one of
   *     {@link #upstreams()}
   */
  public boolean accepts(Optional<Upstream> upstream) {
    return upstreams.isEmpty() || upstream.isEmpty() || upstreams.contains(upstream.get());
  }

  /**
   * Whether the policy allows the connection.
   *
   * @return true when the verdict is {@link Verdict#ALLOW}
   */
  public boolean isAllowed() {
    return verdict == Verdict.ALLOW;
  }

  /** For example {@code ALLOW: appendMatch[0] Domain api.example.com:443/tls covers it}. */
  @Override
  public String toString() {
    return verdict + ": " + reason;
  }
}
