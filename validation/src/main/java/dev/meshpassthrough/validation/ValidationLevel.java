package dev.meshpassthrough.validation;

/** How strictly rules about combinations of entries are applied. */
public enum ValidationLevel {
  /** Every rule as documented: what Kuma rejects, and what cannot work, is an error. */
  STRICT,
  /**
   * Rules whose violation still leaves a policy the translator can take are reported as warnings:
   * Kuma's same-port protocol check, duplicates, layer-7 clashes (the translator still refuses
   * colliding chains), wildcard domains with a layer-7 protocol on every port. Kuma's own plugin
   * tests feed such policies to its translator unvalidated; this level lets the same inputs through
   * while still saying what is wrong. Every value must still parse.
   */
  LENIENT
}
