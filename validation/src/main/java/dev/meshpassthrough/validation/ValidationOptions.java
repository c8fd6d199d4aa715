package dev.meshpassthrough.validation;

/**
 * How to validate.
 *
 * @param kumaVersion the Kuma code line whose targetRef rules apply
 */
public record ValidationOptions(KumaVersion kumaVersion) {
  /** Kuma 2.x, the released line. */
  public static ValidationOptions defaults() {
    return new ValidationOptions(KumaVersion.V2);
  }
}
