package dev.meshpassthrough.core.resolve;

import java.util.List;
import java.util.Objects;

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
  /** Copies the list. */
  public ResolutionProblem {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
    entries = List.copyOf(entries);
  }

  /** The core names of the policies involved, each once, in the order of {@link #entries()}. */
  public List<String> policies() {
    return entries.stream().map(AttributedMatch::policy).distinct().toList();
  }

  /** The message. */
  @Override
  public String toString() {
    return message;
  }
}
