package dev.meshpassthrough.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link ValidationResult#orElseThrow()} for an invalid policy; lists every error. */
public final class InvalidPolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /**
   * An exception listing {@code violations}.
   *
   * @param violations the violations of the policy, warnings included, in the order to list them;
   *     copied; neither the list nor its elements may be null
   */
  public InvalidPolicyException(List<Violation> violations) {
    super(
        "invalid MeshPassthrough policy:\n"
            + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n")));
    this.violations = List.copyOf(violations);
  }

  /**
   * Every violation of the policy, warnings included.
   *
   * @return the violations as given to the constructor, in the same order; unmodifiable; never null
   *     on the instance that was thrown (the field is transient, so it is not serialized)
   */
  public List<Violation> violations() {
    return violations;
  }
}
