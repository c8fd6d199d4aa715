package dev.meshpassthrough.envoy;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PassthroughTranslator} translates.
 *
 * @param profile whose behaviour to reproduce
 * @param noMatchBody the body of the 503 answer to an HTTP request no rule allows, for the {@link
 *     TranslationProfile#EXACT} profile; empty for the profile's default. The {@link
 *     TranslationProfile#KUMA} profile always writes Kuma's text.
 */
public record TranslatorOptions(TranslationProfile profile, Optional<String> noMatchBody) {

  /** Checks for null. */
  public TranslatorOptions {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(noMatchBody, "noMatchBody");
  }

  /** The options of the given profile, with its default texts. */
  public static TranslatorOptions of(TranslationProfile profile) {
    return new TranslatorOptions(profile, Optional.empty());
  }

  /** These options with another 503 body for the exact profile. */
  public TranslatorOptions withNoMatchBody(String body) {
    return new TranslatorOptions(profile, Optional.of(body));
  }

  /**
   * The defaults: {@link TranslationProfile#EXACT}. Pass {@link TranslationProfile#KUMA}
   * explicitly for Kuma's output.
   */
  public static TranslatorOptions defaults() {
    return of(TranslationProfile.EXACT);
  }
}
