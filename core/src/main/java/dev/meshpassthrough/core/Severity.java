package dev.meshpassthrough.core;

import java.util.Locale;

/**
 * How serious a problem is: of a policy ({@code Violation}), of a resolution, of a translation or
 * of the whole per-proxy pipeline ({@link Problem}).
 */
public enum Severity {
  /** Something cannot be used: Kuma would reject it, or it cannot work as written. */
  ERROR,
  /** It is used, but something in it deserves attention. */
  WARNING,
  /** An observation on what was done, for example that a proxy's resources were left unchanged. */
  NOTE;

  /**
   * The lower-case name, as the CLI prints it.
   *
   * @return {@code error}, {@code warning} or {@code note}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
