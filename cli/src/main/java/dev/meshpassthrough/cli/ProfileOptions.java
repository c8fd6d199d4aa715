package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.validation.ValidationLevel;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options {@code translate} and {@code explain} share: which translation, which Kuma line, how
 * strictly to validate. A picocli mixin, so the two commands read them the same way.
 */
final class ProfileOptions {
  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      defaultValue = "exact",
      converter = ProfileConverter.class,
      description =
          "exact or kuma (default: ${DEFAULT-VALUE}). exact: Envoy's decision equals the policy's intent for "
              + "every connection. kuma: Kuma's chains, names and texts exactly (with Kuma's known limitations), except that "
              + "a conf Envoy would reject is reported instead of emitted.")
  TranslationProfile profile;

  @Option(
      names = "--encoding",
      paramLabel = "ENCODING",
      defaultValue = "legacy",
      converter = EncodingConverter.class,
      description =
          "legacy or matcher, for --profile exact (default: ${DEFAULT-VALUE}). legacy: filter_chain_match, any "
              + "Envoy version. matcher: Listener.filter_chain_matcher (Matcher API), one chain per rule; needs Envoy 1.22 or "
              + "later (work-in-progress before 1.37: Envoy logs a warning and accepts it). Both make the same decisions.")
  Encoding encoding;

  @Option(
      names = "--kuma-version",
      paramLabel = "VERSION",
      defaultValue = "2",
      converter = KumaLineConverter.class,
      description =
          "2 or 3: the Kuma line whose validation, selection and precedence rules apply (default: ${DEFAULT-VALUE}).")
  KumaLine kumaLine;

  @Option(
      names = "--validation",
      paramLabel = "LEVEL",
      converter = ValidationLevelConverter.class,
      description =
          "strict or lenient (default: lenient with --profile kuma, strict otherwise). lenient reports the "
              + "rules about how entries combine (Kuma's same-port check, duplicates, L7 wildcards on every port; under "
              + "Kuma 3.x a domain without a port and entries that build a chain an earlier one owns, which its generator "
              + "drops) as warnings, as Kuma's translator takes such policies; strict makes them errors, as Kuma's "
              + "admission does.")
  @Nullable ValidationLevel validationLevel;

  /**
   * The pipeline options of these flags.
   *
   * @param spec the command, for a usage error
   * @return the options; the validation level follows the profile unless given
   * @throws CommandLine.ParameterException for {@code --encoding matcher} with {@code --profile
   *     kuma}
   */
  PassthroughPipeline.Options pipelineOptions(CommandLine.Model.CommandSpec spec) {
    TranslatorOptions translator;
    try {
      translator = TranslatorOptions.of(profile).withEncoding(encoding);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--encoding "
              + encoding.name().toLowerCase(Locale.ROOT)
              + " needs --profile exact: "
              + e.getMessage());
    }
    PassthroughPipeline.Options options =
        PassthroughPipeline.Options.defaults().withKumaLine(kumaLine).withTranslator(translator);
    return validationLevel == null ? options : options.withValidationLevel(validationLevel);
  }

  /** Reads {@code --validation strict|lenient}, in any case. */
  static final class ValidationLevelConverter
      implements CommandLine.ITypeConverter<ValidationLevel> {
    @Override
    public ValidationLevel convert(String value) {
      try {
        return ValidationLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown validation level '" + value + "': use strict or lenient");
      }
    }
  }

  /** Reads {@code --encoding legacy|matcher}, in any case. */
  static final class EncodingConverter implements CommandLine.ITypeConverter<Encoding> {
    @Override
    public Encoding convert(String value) {
      try {
        return Encoding.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown encoding '" + value + "': use legacy or matcher");
      }
    }
  }

  /** Reads {@code --profile exact|kuma}, in any case. */
  static final class ProfileConverter implements CommandLine.ITypeConverter<TranslationProfile> {
    @Override
    public TranslationProfile convert(String value) {
      try {
        return TranslationProfile.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown profile '" + value + "': use exact or kuma");
      }
    }
  }
}
