package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.Enforcement;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.envoy.internal.exact.ExactProfile;
import dev.meshpassthrough.envoy.internal.kuma.KumaProfile;
import java.util.Objects;

/**
 * Picks the translator of a profile: the one place that knows both profiles, and that decides what
 * happens to traffic no rule allows ({@link Unmatched}).
 */
public final class TranslatorFactory {
  private TranslatorFactory() {}

  /**
   * The translator of {@code options}' profile and encoding.
   *
   * @param options the options
   * @return a stateless, thread-safe translator
   * @throws IllegalArgumentException for the kuma profile with an encoding other than legacy
   */
  public static PassthroughTranslator create(TranslatorOptions options) {
    Objects.requireNonNull(options, "options");
    return switch (options.profile()) {
      case KUMA -> {
        if (options.encoding() != Encoding.LEGACY) {
          throw new IllegalArgumentException(
              "the kuma profile supports the legacy encoding only, not " + options.encoding());
        }
        yield KumaProfile.translator(
            Naming.KUMA, options.maxOutputBytes(), Unmatched.DENY, options.kumaLine());
      }
      case EXACT ->
          ExactProfile.translator(
              Naming.exact(options.noMatchBody().orElse(Naming.EXACT_NO_MATCH_BODY)),
              options.encoding(),
              options.maxOutputBytes(),
              options.enforcement() == Enforcement.AUDIT ? Unmatched.AUDIT : Unmatched.DENY,
              options.effectiveDomainPinning(),
              options.auditLogPath());
    };
  }
}
