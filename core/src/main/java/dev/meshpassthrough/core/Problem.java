package dev.meshpassthrough.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem, warning or note of resolving or translating policies for a proxy, as data a control
 * plane can route (to a status condition, an event, a log line) without parsing text.
 *
 * <p>Immutable. Key on {@link #ruleId()}: ids are stable, wording may improve.
 *
 * @param ruleId a stable dotted id, for example {@code resolve.mode.name-order} or {@code
 *     translate.port.layer7-conflict}; Kuma's own texts have ids starting with {@code kuma.}
 * @param severity how serious it is
 * @param message what happened, in one line of text; the CLI prints exactly this
 * @param policy the core name of the policy it concerns ({@code name} or {@code name.namespace}),
 *     empty when it concerns no single policy (the proxy, or the merged conf as a whole)
 * @param path where in that policy, or in the merged conf when {@code policy} is empty, for example
 *     {@code spec.default.appendMatch[2].port}; empty when no field is at fault
 */
public record Problem(
    String ruleId,
    Severity severity,
    String message,
    Optional<String> policy,
    Optional<FieldPath> path) {

  /**
   * Checks for null and for an empty rule id.
   *
   * @param ruleId the stable dotted id, never null or empty
   * @param severity how serious it is, never null
   * @param message the one-line text, never null
   * @param policy the core name of the policy concerned, or empty; never null
   * @param path the field at fault, or empty; never null
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code ruleId} is empty
   */
  public Problem {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(path, "path");
    if (ruleId.isEmpty()) {
      throw new IllegalArgumentException("a problem needs a rule id");
    }
  }

  /**
   * A problem that concerns no single policy and no field.
   *
   * @param ruleId the stable id
   * @param severity how serious it is
   * @param message the text
   * @return the problem
   */
  public static Problem of(String ruleId, Severity severity, String message) {
    return new Problem(ruleId, severity, message, Optional.empty(), Optional.empty());
  }

  /**
   * This problem, said of a field.
   *
   * @param at the field
   * @return a copy with {@code path} set
   */
  public Problem at(FieldPath at) {
    return new Problem(ruleId, severity, message, policy, Optional.of(at));
  }

  /**
   * This problem, said of one policy.
   *
   * @param policyName the core name of the policy
   * @return a copy with {@code policy} set
   */
  public Problem of(String policyName) {
    return new Problem(ruleId, severity, message, Optional.of(policyName), path);
  }

  /**
   * Whether this is an error.
   *
   * @return {@code severity() == ERROR}
   */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * Renders {@code severity [policy ]path: message [rule]}, leaving out what is empty.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(severity.wireName()).append(' ');
    policy.ifPresent(p -> out.append(p).append(' '));
    path.ifPresent(p -> out.append(p).append(": "));
    return out.append(message).append(" [").append(ruleId).append(']').toString();
  }
}
