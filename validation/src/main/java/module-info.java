/**
 * The MeshPassthrough validator: Kuma's rules, violations as data.
 *
 * <p>Exports the public package only; {@code ...internal} is not API.
 */
module dev.meshpassthrough.validation {
  requires transitive dev.meshpassthrough.core;
  requires com.google.common;
  requires static transitive org.jspecify;

  exports dev.meshpassthrough.validation;
  exports dev.meshpassthrough.validation.guardrails;
}
