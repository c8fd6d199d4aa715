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

  /**
   * Copies the list and checks that a policy is present exactly when there is no error.
   *
   * @param violations every violation, warnings included, expected in the order described above and
   *     kept as given; copied, so later changes to the list do not show; neither the list nor its
   *     elements may be null
   * @param policy the typed policy, present exactly when no violation is an error; not null (empty
   *     when invalid)
   * @throws IllegalArgumentException when a policy is present although a violation is an error, or
   *     absent although none is
   */
  public ValidationResult {
    violations = List.copyOf(violations);
    boolean hasError = violations.stream().anyMatch(Violation::isError);
    if (hasError == policy.isPresent()) {
      throw new IllegalArgumentException("a policy must be present exactly when there is no error");
    }
  }

  /**
   * Whether the policy is valid (warnings allowed).
   *
   * @return true when no violation is an error, that is when {@link #policy()} is present
   */
  public boolean isValid() {
    return policy.isPresent();
  }

  /**
   * The errors only.
   *
   * @return the violations of severity error, in the order of {@link #violations()}; an
   *     unmodifiable list, empty when valid, never null
   */
  public List<Violation> errors() {
    return violations.stream().filter(Violation::isError).toList();
  }

  /**
   * The warnings only.
   *
   * @return the violations of severity warning, in the order of {@link #violations()}; an
   *     unmodifiable list, possibly empty, never null
   */
  public List<Violation> warnings() {
    return violations.stream().filter(v -> !v.isError()).toList();
  }

  /**
   * The typed policy; throws {@link InvalidPolicyException} listing every violation when invalid.
   *
   * @return the typed policy, never null
   * @throws InvalidPolicyException when the result is not valid, carrying every violation, warnings
   *     included
   */
  public MeshPassthroughPolicy orElseThrow() {
    return policy.orElseThrow(() -> new InvalidPolicyException(violations));
  }
}
