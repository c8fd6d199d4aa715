package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.resolve.KumaLine;

/**
 * How to validate.
 *
 * @param kumaLine the Kuma code line whose targetRef rules apply
 * @param level how strictly combination rules apply
 */
public record ValidationOptions(KumaLine kumaLine, ValidationLevel level) {

  /**
   * Strict validation for {@code kumaLine}.
   *
   * @param kumaLine the Kuma code line whose targetRef rules apply, not null
   */
  public ValidationOptions(KumaLine kumaLine) {
    this(kumaLine, ValidationLevel.STRICT);
  }

  /**
   * Strict validation for Kuma 2.x, the released line.
   *
   * @return options with {@link KumaLine#V2} and {@link ValidationLevel#STRICT}, never null
   */
  public static ValidationOptions defaults() {
    return new ValidationOptions(KumaLine.V2);
  }
}
