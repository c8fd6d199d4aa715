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
 * @param encoding how chains are selected: {@link Encoding#LEGACY} (the default) or, for the {@link
 *     TranslationProfile#EXACT} profile only, {@link Encoding#MATCHER}
 */
public record TranslatorOptions(TranslationProfile profile, Optional<String> noMatchBody, Encoding encoding) {

  /**
   * Checks for null, and that the profile supports the encoding.
   *
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with {@link
   *     Encoding#MATCHER}: Kuma writes legacy matches only
   */
  public TranslatorOptions {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(noMatchBody, "noMatchBody");
    Objects.requireNonNull(encoding, "encoding");
    if (profile == TranslationProfile.KUMA && encoding != Encoding.LEGACY) {
      throw new IllegalArgumentException("the kuma profile supports the legacy encoding only, not " + encoding);
    }
  }

  /** The options of {@code profile} with {@code noMatchBody} and the {@link Encoding#LEGACY} encoding. */
  public TranslatorOptions(TranslationProfile profile, Optional<String> noMatchBody) {
    this(profile, noMatchBody, Encoding.LEGACY);
  }

  /** The options of the given profile, with its default texts and the {@link Encoding#LEGACY} encoding. */
  public static TranslatorOptions of(TranslationProfile profile) {
    return new TranslatorOptions(profile, Optional.empty(), Encoding.LEGACY);
  }

  /** These options with another 503 body for the exact profile. */
  public TranslatorOptions withNoMatchBody(String body) {
    return new TranslatorOptions(profile, Optional.of(body), encoding);
  }

  /**
   * These options with another encoding.
   *
   * @throws IllegalArgumentException for {@link Encoding#MATCHER} under {@link TranslationProfile#KUMA}
   */
  public TranslatorOptions withEncoding(Encoding encoding) {
    return new TranslatorOptions(profile, noMatchBody, encoding);
  }

  /**
   * The defaults: {@link TranslationProfile#EXACT} with {@link Encoding#LEGACY}. Pass {@link
   * TranslationProfile#KUMA} explicitly for Kuma's output.
   */
  public static TranslatorOptions defaults() {
    return of(TranslationProfile.EXACT);
  }
}
