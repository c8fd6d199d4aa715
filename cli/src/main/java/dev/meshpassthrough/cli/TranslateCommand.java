package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.validation.KumaVersion;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshpassthrough translate}: print the Envoy listeners and clusters of one proxy after a policy applies. */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    description = {
      "Translate a MeshPassthrough policy into the Envoy v3 listeners and clusters of one proxy.",
      "",
      "Prints one document {\"resources\": [{\"name\": N, \"resource\": {\"@type\": ..., ...}}]} holding every "
          + "listener and cluster of the proxy after the policy applies: listeners first, then clusters, each sorted "
          + "by name, in Envoy's proto3 JSON (yaml prints the same tree as YAML).",
      "",
      "Takes exactly one policy for now: its spec.default is the proxy's effective conf, whatever its targetRef "
          + "selects. Selecting and merging several policies for a proxy comes in a later version.",
      "",
      "Without --proxy, the proxy is a default dual-stack transparent proxy: outbound passthrough listeners "
          + "self_transparentproxy_passthrough_outbound_ipv4 (0.0.0.0:15001) and ..._ipv6 ([::]:15001) with a "
          + "catch-all tcp_proxy chain each, the ORIGINAL_DST clusters of the same names, IPv6 enabled.",
      "",
      "Notes on what the translation did go to standard error. Exit status: 0 translated, 1 the policy is invalid "
          + "or cannot be translated (reasons on standard error, nothing on standard output), 2 some input could not "
          + "be read or parsed, or the command line was misused."
    })
final class TranslateCommand implements Callable<Integer>, StreamsAware {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "kuma", converter = ProfileConverter.class,
      description = "Whose output to reproduce (default: ${DEFAULT-VALUE}). kuma: Kuma's chains, names and texts "
          + "exactly, except that a conf Envoy would reject is reported instead of emitted.")
  TranslationProfile profile;

  @Option(names = "--proxy", paramLabel = "FILE",
      description = "The proxy context: the proxy.yaml schema of the conformance corpus (Dataplane address and "
          + "transparent-proxy settings, ipv6Enabled, internal addresses, and the existing listeners and clusters, "
          + "whose envoy: blocks are authoritative).")
  Path proxyFile;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
      description = "json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--kuma-version", paramLabel = "VERSION", defaultValue = "2", converter = KumaVersionConverter.class,
      description = "2 or 3: the Kuma line whose targetRef rules the policy is validated with (default: ${DEFAULT-VALUE}).")
  KumaVersion kumaVersion;

  @Option(names = "--validation", paramLabel = "LEVEL", converter = ValidationLevelConverter.class,
      description = "strict or lenient (default: lenient with --profile kuma, strict otherwise). lenient reports the "
          + "rules about how entries combine (Kuma's same-port check, duplicates, L7 wildcards on every port) as "
          + "warnings, as Kuma's translator takes such policies; strict makes them errors, as Kuma's admission does.")
  ValidationLevel validationLevel;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @Parameters(paramLabel = "POLICY", arity = "1..*",
      description = "The policy: a file (YAML or JSON), a directory, or - for standard input; exactly one document in all.")
  List<String> inputs = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    if (output == OutputFormat.text) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--output must be json or yaml for translate");
    }
    ParseResult parsed = PolicyInputs.read(inputs, streams, PolicyParser.create());
    PolicyInputs.report(parsed.problems(), streams);
    if (!parsed.isClean()) {
      return ExitCode.UNREADABLE;
    }
    if (parsed.documents().size() != 1) {
      streams.err().println("meshpassthrough: translate takes exactly one policy for now, got " + parsed.documents().size()
          + " (selecting and merging several policies comes later)");
      return ExitCode.UNREADABLE;
    }
    Optional<ProxyContext> proxy = proxyContext();
    if (proxy.isEmpty()) {
      return ExitCode.UNREADABLE;
    }
    PolicyDocument document = parsed.documents().get(0);
    ValidationLevel level = validationLevel != null ? validationLevel
        : profile == TranslationProfile.KUMA ? ValidationLevel.LENIENT : ValidationLevel.STRICT;
    ValidationResult validation = PolicyValidator.create(new ValidationOptions(kumaVersion, level)).validate(document);
    printViolations(document, validation.violations());
    if (!validation.isValid()) {
      return ExitCode.INVALID;
    }
    TranslationResult result;
    try {
      result = PassthroughTranslator.create(TranslatorOptions.of(profile)).translate(validation.orElseThrow().conf(), proxy.get());
    } catch (TranslationException e) {
      for (String message : e.messages()) {
        streams.err().println(document.location() + ": error: " + message);
      }
      return ExitCode.INVALID;
    }
    result.notes().forEach(note -> streams.err().println("note: " + note));
    streams.out().print(StructuredOutput.write(tree(result), output));
    return ExitCode.OK;
  }

  private Optional<ProxyContext> proxyContext() {
    if (proxyFile == null) {
      return Optional.of(ProxyContext.defaultTransparentProxy());
    }
    try {
      return Optional.of(ProxyContext.read(proxyFile));
    } catch (IOException e) {
      streams.err().println("meshpassthrough: cannot read the proxy context " + proxyFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Violations, warnings included, in the text form of {@code validate}, on standard error. */
  private void printViolations(PolicyDocument document, List<Violation> violations) {
    for (Violation violation : violations) {
      streams.err().println(document.locationOf(violation.path()) + ": " + violation.severity().wireName() + ": "
          + violation.path() + ": " + violation.message() + " [" + violation.ruleId() + "]");
    }
  }

  private static JsonNode tree(TranslationResult result) {
    try {
      return JSON.readTree(result.toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the translator writes valid JSON", e);
    }
  }

  /** Reads {@code --validation strict|lenient}, in any case. */
  static final class ValidationLevelConverter implements CommandLine.ITypeConverter<ValidationLevel> {
    @Override
    public ValidationLevel convert(String value) {
      try {
        return ValidationLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("unknown validation level '" + value + "': use strict or lenient");
      }
    }
  }

  /** Reads {@code --profile kuma}, in any case. */
  static final class ProfileConverter implements CommandLine.ITypeConverter<TranslationProfile> {
    @Override
    public TranslationProfile convert(String value) {
      try {
        return TranslationProfile.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("unknown profile '" + value + "': use kuma");
      }
    }
  }
}
