package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.Match;
import java.util.List;
import java.util.Objects;

/**
 * What a policy means for one connection, independent of Envoy.
 *
 * @param verdict whether the policy allows the connection
 * @param coveringEntries the indexes of the {@code appendMatch} entries that cover it, ascending;
 *     empty for modes {@code All} and {@code None}
 * @param coveredBy those entries, in the same order
 * @param reason one sentence on why
 */
public record Intent(
    Verdict verdict, List<Integer> coveringEntries, List<Match> coveredBy, String reason) {
  /**
   * Copies the lists and checks that they have the same size.
   *
   * @param verdict whether the policy allows the connection, not null
   * @param coveringEntries the indexes of the {@code appendMatch} entries that cover it, ascending;
   *     copied; not null, nor any element
   * @param coveredBy those entries, in the same order; copied; not null, nor any element
   * @param reason one sentence on why, not null
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when the two lists differ in size
   */
  public Intent {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    coveringEntries = List.copyOf(coveringEntries);
    coveredBy = List.copyOf(coveredBy);
    if (coveringEntries.size() != coveredBy.size()) {
      throw new IllegalArgumentException("one index per covering entry");
    }
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
