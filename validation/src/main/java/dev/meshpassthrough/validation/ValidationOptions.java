package dev.meshpassthrough.validation;

/**
 * How to validate.
 *
 * @param kumaVersion the Kuma code line whose targetRef rules apply
 * @param level how strictly combination rules apply
 */
public record ValidationOptions(KumaVersion kumaVersion, ValidationLevel level) {

  /** Strict validation for {@code kumaVersion}. */
  public ValidationOptions(KumaVersion kumaVersion) {
    this(kumaVersion, ValidationLevel.STRICT);
  }

  /** Strict validation for Kuma 2.x, the released line. */
  public static ValidationOptions defaults() {
    return new ValidationOptions(KumaVersion.V2);
  }
}
