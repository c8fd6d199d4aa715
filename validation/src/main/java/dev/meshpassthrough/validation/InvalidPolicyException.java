package dev.meshpassthrough.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link ValidationResult#orElseThrow()} for an invalid policy; lists every error. */
public final class InvalidPolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /** An exception listing {@code violations}. */
  public InvalidPolicyException(List<Violation> violations) {
    super("invalid MeshPassthrough policy:\n" + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n")));
    this.violations = List.copyOf(violations);
  }

  /** Every violation of the policy, warnings included. */
  public List<Violation> violations() {
    return violations;
  }
}
