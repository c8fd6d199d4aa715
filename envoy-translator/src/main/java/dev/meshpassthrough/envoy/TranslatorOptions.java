package dev.meshpassthrough.envoy;

import java.util.Objects;

/**
 * How a {@link PassthroughTranslator} translates.
 *
 * @param profile whose behaviour to reproduce
 */
public record TranslatorOptions(TranslationProfile profile) {

  /** Checks for null. */
  public TranslatorOptions {
    Objects.requireNonNull(profile, "profile");
  }

  /** The options of the given profile. */
  public static TranslatorOptions of(TranslationProfile profile) {
    return new TranslatorOptions(profile);
  }

  /**
   * The defaults: {@link TranslationProfile#KUMA}, for now the only profile. The default is
   * expected to change when a profile of meshpassthrough's own lands; pass the profile explicitly
   * to keep Kuma's output.
   */
  public static TranslatorOptions defaults() {
    return new TranslatorOptions(TranslationProfile.KUMA);
  }
}
