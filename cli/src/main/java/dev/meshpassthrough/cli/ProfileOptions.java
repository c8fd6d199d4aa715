package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.Enforcement;
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
      names = "--domain-pinning",
      paramLabel = "PINNING",
      converter = DomainPinningConverter.class,
      description =
          "off, dns or dynamic, for --profile exact (default: off with --kuma-version 2, dns with 3): where the "
              + "traffic a Domain entry allows goes. off: the address the client dialed. dns: Kuma 3.x's, a non-wildcard "
              + "domain with a port goes to a STRICT_DNS cluster on domain:port (wildcard and port-less domains keep the "
              + "dialed address, with a note each). dynamic: every Domain entry goes to the name the client sent (SNI or "
              + "Host), resolved by Envoy's dynamic forward proxy, on the dialed port. IP and CIDR entries always keep "
              + "the dialed address.")
  @Nullable DomainPinning domainPinning;

  @Option(
      names = "--enforcement",
      paramLabel = "MODE",
      defaultValue = "enforce",
      converter = EnforcementConverter.class,
      description =
          "enforce or audit, for --profile exact (default: ${DEFAULT-VALUE}). audit: traffic the policy does not "
              + "allow still reaches the address the client dialed, but only through chains, virtual hosts and clusters "
              + "named meshpassthrough_audit_..., and Envoy writes a JSON line with \"verdict\": \"would-deny\" for each "
              + "such connection or request to the audit log (--audit-log-path). Allowed traffic is handled as under "
              + "enforce.")
  Enforcement enforcement;

  @Option(
      names = "--audit-log-path",
      paramLabel = "PATH",
      description =
          "where Envoy writes the audit log of --enforcement audit, a path on the proxy's file system (default: "
              + TranslatorOptions.DEFAULT_AUDIT_LOG_PATH
              + ", Envoy's standard output).")
  @Nullable String auditLogPath;

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
   * @throws CommandLine.ParameterException for {@code --encoding matcher} or {@code
   *     --domain-pinning} other than the Kuma line's with {@code --profile kuma}
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
    if (domainPinning != null) {
      try {
        translator = translator.withKumaLine(kumaLine).withDomainPinning(domainPinning);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--domain-pinning "
                + domainPinning.wireName()
                + " needs --profile exact: "
                + e.getMessage());
      }
    }
    if (enforcement != Enforcement.ENFORCE) {
      try {
        translator = translator.withEnforcement(enforcement);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--enforcement "
                + enforcement.wireName()
                + " needs --profile exact: "
                + e.getMessage());
      }
    }
    if (auditLogPath != null) {
      if (enforcement != Enforcement.AUDIT) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--audit-log-path needs --enforcement audit");
      }
      try {
        translator = translator.withAuditLogPath(auditLogPath);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--audit-log-path: " + e.getMessage());
      }
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

  /** Reads {@code --domain-pinning off|dns|dynamic}, in any case. */
  static final class DomainPinningConverter implements CommandLine.ITypeConverter<DomainPinning> {
    @Override
    public DomainPinning convert(String value) {
      return DomainPinning.parse(value.trim())
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "unknown domain pinning '" + value + "': use off, dns or dynamic"));
    }
  }

  /** Reads {@code --enforcement enforce|audit}, in any case. */
  static final class EnforcementConverter implements CommandLine.ITypeConverter<Enforcement> {
    @Override
    public Enforcement convert(String value) {
      return Enforcement.parse(value.trim())
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "unknown enforcement '" + value + "': use enforce or audit"));
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
