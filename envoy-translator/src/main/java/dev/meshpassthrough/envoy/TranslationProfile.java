package dev.meshpassthrough.envoy;

/** Whose behaviour a {@link PassthroughTranslator} reproduces. */
public enum TranslationProfile {
  /**
   * Kuma's output, chain for chain and name for name, as Kuma's own tests record it (Kuma commit
   * {@code 348b6528}), except that a policy Envoy would reject is reported as a {@link
   * TranslationException} instead of being emitted.
   */
  KUMA
}
