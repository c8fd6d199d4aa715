package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating one document: every violation, and the typed policy when there is no
 * error.
 *
 * <p>Violations are ordered by the element they concern (the document, then {@code targetRef}, then
 * {@code appendMatch} by index) and, within one element, in the order the checks run, which is
 * Kuma's order for Kuma's rules, followed by meshpassthrough's own.
 *
 * @param violations every violation, warnings included
 * @param policy the typed policy, present exactly when no violation is an error
 */
public record ValidationResult(List<Violation> violations, Optional<MeshPassthroughPolicy> policy) {

  /** Copies the list and checks that a policy is present exactly when there is no error. */
  public ValidationResult {
    violations = List.copyOf(violations);
    boolean hasError = violations.stream().anyMatch(Violation::isError);
    if (hasError == policy.isPresent()) {
      throw new IllegalArgumentException("a policy must be present exactly when there is no error");
    }
  }

  /** Whether the policy is valid (warnings allowed). */
  public boolean isValid() {
    return policy.isPresent();
  }

  /** The errors only. */
  public List<Violation> errors() {
    return violations.stream().filter(Violation::isError).toList();
  }

  /** The warnings only. */
  public List<Violation> warnings() {
    return violations.stream().filter(v -> !v.isError()).toList();
  }

  /** The typed policy; throws {@link InvalidPolicyException} listing every violation when invalid. */
  public MeshPassthroughPolicy orElseThrow() {
    return policy.orElseThrow(() -> new InvalidPolicyException(violations));
  }
}
