package dev.meshpassthrough.core.document;

/** The shape a MeshPassthrough document was written in. */
public enum DocumentFormat {
  /**
   * {@code apiVersion: kuma.io/v1alpha1}, {@code kind: MeshPassthrough}, {@code metadata}, {@code
   * spec}.
   */
  KUBERNETES,
  /** {@code type: MeshPassthrough}, {@code name}, {@code mesh}, {@code labels}, {@code spec}. */
  UNIVERSAL,
  /**
   * A bare spec: {@code targetRef} and {@code default} at the top, as Kuma's validator tests use.
   */
  BARE_SPEC
}
