package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslatorOptions;

/** The translator configurations that exist: the Kuma profile has the legacy encoding only. */
public enum Variant {
  /** Kuma's output. */
  KUMA(TranslatorOptions.of(TranslationProfile.KUMA)),
  /** The exact profile with legacy {@code filter_chain_match}. */
  EXACT(TranslatorOptions.of(TranslationProfile.EXACT)),
  /** The exact profile with {@code filter_chain_matcher}. */
  EXACT_MATCHER(TranslatorOptions.of(TranslationProfile.EXACT).withEncoding(Encoding.MATCHER));

  private final TranslatorOptions options;

  Variant(TranslatorOptions options) {
    this.options = options;
  }

  TranslatorOptions options() {
    return options;
  }
}
