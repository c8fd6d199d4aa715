package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A problem of a merged conf that no single policy need show: entries of several policies that the
 * translator (or Envoy) rejects together, such as {@code http} and {@code grpc} on one port.
 *
 * @param ruleId a stable id to key on: {@link MatchConflicts#SAME_PORT_LAYER7} or {@link
 *     MatchConflicts#SAME_CHAIN_MATCH}
 * @param message what is wrong, naming each entry by policy and index; Kuma's own text first where
 *     Kuma reports the problem
 * @param entries the entries involved, in merged order
 */
public record ResolutionProblem(String ruleId, String message, List<AttributedMatch> entries) {
  /**
   * Copies the list.
   *
   * @param ruleId a stable id to key on, never null
   * @param message what is wrong, never null
   * @param entries the entries involved, in merged order; copied
   * @throws NullPointerException when a component or a list element is null
   */
  public ResolutionProblem {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
    entries = List.copyOf(entries);
  }

  /**
   * The core names of the policies involved, each once, in the order of {@link #entries()}.
   *
   * @return an unmodifiable list without duplicates, in order of first appearance
   */
  public List<String> policies() {
    return entries.stream().map(AttributedMatch::policy).distinct().toList();
  }

  /**
   * This problem as a {@link Problem}: its rule id and message, said of the policy and the {@code
   * appendMatch} entry of its first entry (where the CLI places it; the message names every entry).
   *
   * @param severity {@link Severity#ERROR} where it stops the translation (passthroughMode
   *     Matched), {@link Severity#WARNING} where the entries are ignored
   * @return the problem
   */
  public Problem toProblem(Severity severity) {
    Problem problem = new Problem(ruleId, severity, message, Optional.empty(), Optional.empty());
    if (entries.isEmpty()) {
      return problem;
    }
    AttributedMatch first = entries.get(0);
    return problem
        .of(first.policy())
        .at(FieldPath.of("spec", "default", "appendMatch").index(first.index()));
  }

  /** The message. */
  @Override
  public String toString() {
    return message;
  }
}
