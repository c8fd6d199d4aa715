package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Severity;

/**
 * One problem found in a policy.
 *
 * @param path where, for example {@code spec.default.appendMatch[3].port}
 * @param ruleId a stable dotted id to key on, for example {@code match.port.range}; Kuma's own
 *     rules start with {@code kuma.}
 * @param message what is wrong; for Kuma's rules, Kuma's exact text
 * @param severity error or warning
 */
public record Violation(FieldPath path, String ruleId, String message, Severity severity) {

  /**
   * An error.
   *
   * @param path where the problem is, not null
   * @param ruleId the stable dotted rule id, for example {@code match.port.range}, not null
   * @param message what is wrong, not null
   * @return a violation of severity {@link Severity#ERROR}, never null
   */
  public static Violation error(FieldPath path, String ruleId, String message) {
    return new Violation(path, ruleId, message, Severity.ERROR);
  }

  /**
   * A warning.
   *
   * @param path where the problem is, not null
   * @param ruleId the stable dotted rule id, for example {@code match.port.range}, not null
   * @param message what is wrong, not null
   * @return a violation of severity {@link Severity#WARNING}, never null
   */
  public static Violation warning(FieldPath path, String ruleId, String message) {
    return new Violation(path, ruleId, message, Severity.WARNING);
  }

  /**
   * Whether this is an error.
   *
   * @return true when the severity is {@link Severity#ERROR}, false for a warning
   */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** Renders {@code severity path: message [rule]}. */
  @Override
  public String toString() {
    return severity.wireName() + " " + path + ": " + message + " [" + ruleId + "]";
  }
}
