package dev.meshpassthrough.validation;

/** How serious a {@link Violation} is. */
public enum Severity {
  /** The policy is invalid: Kuma would reject it, or it cannot work as written. */
  ERROR,
  /** The policy is valid, but something in it deserves attention. */
  WARNING;

  /** Lower-case name, as printed by the CLI. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
