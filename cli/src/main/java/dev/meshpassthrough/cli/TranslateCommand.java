package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.validation.ValidationLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough translate}: print the Envoy listeners and clusters of one proxy after the
 * policies that select it apply.
 */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    description = {
      "Translate MeshPassthrough policies into the Envoy v3 listeners and clusters of one proxy.",
      "",
      "Prints one document {\"resources\": [{\"name\": N, \"resource\": {\"@type\": ..., ...}}]} holding every "
          + "listener and cluster of the proxy after the policies apply: listeners first, then clusters, each sorted "
          + "by name, in Envoy's proto3 JSON (yaml prints the same tree as YAML).",
      "",
      "Takes one or more policies and directories: every document is validated, then the policies that select the "
          + "proxy are ordered and merged as Kuma does (see the resolve command) and their effective conf is "
          + "translated. When no policy selects the proxy, or the proxy cannot take the policy (no transparent "
          + "proxy, bind-outbounds), standard error says so and the resources are printed unchanged.",
      "",
      "Without --proxy, the proxy is a default dual-stack transparent proxy: sidecar 'proxy' of mesh default, "
          + "without labels, with one inbound on 49151; outbound passthrough listeners "
          + "self_transparentproxy_passthrough_outbound_ipv4 (0.0.0.0:15001) and ..._ipv6 ([::]:15001) with a "
          + "catch-all tcp_proxy chain each, the ORIGINAL_DST clusters of the same names, IPv6 enabled.",
      "",
      "Notes on what the translation did go to standard error. Exit status: 0 translated (or nothing to apply), 1 "
          + "some policy is invalid or the merged conf cannot be translated (reasons on standard error, naming each "
          + "policy, nothing on standard output), 2 some input could not be read or parsed, no policy was given, or "
          + "the command line was misused."
    })
final class TranslateCommand implements Callable<Integer>, StreamsAware {
  @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "exact", converter = ProfileConverter.class,
      description = "exact or kuma (default: ${DEFAULT-VALUE}). exact: Envoy's decision equals the policy's intent for "
          + "every connection. kuma: Kuma's chains, names and texts exactly (with Kuma's known limitations), except that "
          + "a conf Envoy would reject is reported instead of emitted.")
  TranslationProfile profile;

  @Option(names = "--encoding", paramLabel = "ENCODING", defaultValue = "legacy", converter = EncodingConverter.class,
      description = "legacy or matcher, for --profile exact (default: ${DEFAULT-VALUE}). legacy: filter_chain_match, any "
          + "Envoy version. matcher: Listener.filter_chain_matcher (Matcher API), one chain per rule; needs Envoy 1.22 or "
          + "later (work-in-progress before 1.37: Envoy logs a warning and accepts it). Both make the same decisions.")
  Encoding encoding;

  @Option(names = "--proxy", paramLabel = "FILE",
      description = "The proxy context: the proxy.yaml schema of the conformance corpus (Dataplane address and "
          + "transparent-proxy settings, ipv6Enabled, internal addresses, and the existing listeners and clusters, "
          + "whose envoy: blocks are authoritative), with what selection reads (Dataplane name, mesh, labels, "
          + "inbound names and tags, gateway; context).")
  @Nullable Path proxyFile;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
      description = "json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--kuma-version", paramLabel = "VERSION", defaultValue = "2", converter = KumaLineConverter.class,
      description = "2 or 3: the Kuma line whose validation, selection and precedence rules apply (default: ${DEFAULT-VALUE}).")
  KumaLine kumaVersion;

  @Option(names = "--validation", paramLabel = "LEVEL", converter = ValidationLevelConverter.class,
      description = "strict or lenient (default: lenient with --profile kuma, strict otherwise). lenient reports the "
          + "rules about how entries combine (Kuma's same-port check, duplicates, L7 wildcards on every port) as "
          + "warnings, as Kuma's translator takes such policies; strict makes them errors, as Kuma's admission does.")
  @Nullable ValidationLevel validationLevel;

  @Option(names = "--max-output-bytes", paramLabel = "BYTES", defaultValue = "33554432",
      description = "The most bytes the listeners and clusters a translation builds may take in protobuf encoding "
          + "(default: ${DEFAULT-VALUE}, 32 MiB, which fits a 256 MB JVM); a conf that needs more is refused (exit 1). "
          + "Give the JVM about 4 bytes of heap per byte when raising it.")
  long maxOutputBytes;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @Parameters(paramLabel = "POLICY", arity = "1..*",
      description = "Policy files (YAML or JSON), directories (every .yaml, .yml and .json below them), or - for standard input.")
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
    if (maxOutputBytes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-output-bytes must be at least 1");
    }
    TranslatorOptions options = options(profile, encoding, spec).withMaxOutputBytes(maxOutputBytes);
    Prepared prepared = prepare();
    if (prepared.job().isEmpty()) {
      return prepared.exitCode();
    }
    Optional<TranslationResult> result = translate(prepared.job().get(), options);
    if (result.isEmpty()) {
      return ExitCode.INVALID;
    }
    result.get().notes().forEach(note -> streams.err().println("note: " + note));
    // Streamed resource by resource: the text of a big result is several times its heap.
    StructuredOutput.stream(streams.out(), output, result.get()::writeTo);
    return ExitCode.OK;
  }

  /**
   * What translation needs once the policies are read, validated and resolved. The documents are
   * not in it, only the lines an error about them would print: 40,000 entries as written hold 50 MB
   * of heap, which translating and printing them must not have to share.
   *
   * @param resolution the policies that apply and their effective conf
   * @param proxy the proxy file
   * @param problemWarnings the resolution problems, as warnings
   * @param problemErrors the resolution problems, as errors
   * @param strongestLocation where the strongest applied policy was written; empty when none applies
   */
  private record Job(Resolution resolution, ProxyInputs.Proxy proxy, List<String> problemWarnings, List<String> problemErrors,
      Optional<String> strongestLocation) {}

  /**
   * The job, or the exit code of the reason there is none.
   *
   * @param exitCode the exit code when there is no job
   * @param job what to translate
   */
  private record Prepared(int exitCode, Optional<Job> job) {
    static Prepared exit(int exitCode) {
      return new Prepared(exitCode, Optional.empty());
    }
  }

  /** Reads, validates and resolves the policies; the documents go out of scope when this returns. */
  private Prepared prepare() {
    ParseResult parsed = PolicyInputs.read(inputs, streams, PolicyParser.create());
    PolicyInputs.report(parsed, streams);
    if (!parsed.isClean()) {
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    if (parsed.documents().isEmpty()) {
      streams.err().println("meshpassthrough: translate needs at least one policy, and the input holds none");
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    KumaLine line = kumaVersion;
    Optional<ProxyInputs.Proxy> proxy = ProxyInputs.read(proxyFile, line, streams);
    if (proxy.isEmpty()) {
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    ValidationLevel level = validationLevel(validationLevel, profile);
    Optional<ResolveInputs.Policies> policies = ResolveInputs.validate(parsed.documents(), kumaVersion, level,
        ResolveInputs.LegacyDocuments.REJECT, streams);
    if (policies.isEmpty()) {
      return Prepared.exit(ExitCode.INVALID);
    }
    ProxyFile selection = proxy.get().selection();
    Resolution resolution;
    try {
      resolution = PolicyResolver.create().resolve(policies.get().set(), selection.proxy(), selection.context());
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    String mesh = selection.proxy().mesh();
    List<ResolutionProblem> problems = resolution.outcome().problems();
    Optional<String> strongest = resolution.applied().isEmpty() ? Optional.empty() : Optional.of(String.valueOf(
        policies.get().document(mesh, resolution.applied().get(resolution.applied().size() - 1).name()).location()));
    return new Prepared(ExitCode.OK, Optional.of(new Job(resolution, proxy.get(),
        problems.stream().map(p -> policies.get().render(mesh, p, "warning")).toList(),
        problems.stream().map(p -> policies.get().render(mesh, p, "error")).toList(), strongest)));
  }

  /** The resources after the effective conf applies, or unchanged when it does not; empty after a translation error. */
  private Optional<TranslationResult> translate(Job job, TranslatorOptions options) {
    Resolution resolution = job.resolution();
    ProxyInputs.Proxy proxy = job.proxy();
    String name = proxy.selection().proxy().name();
    Outcome outcome = resolution.outcome();
    resolution.warnings().stream().filter(w -> !w.equals(outcome.reason())).forEach(w -> streams.err().println("warning: " + w));
    if (resolution.effective().isEmpty()) {
      streams.err().println("note: " + (resolution.applied().isEmpty()
          ? "no MeshPassthrough policy selects proxy '" + name + "' (" + outcome.reason() + ")"
          : "the policies that select proxy '" + name + "' do not apply: " + outcome.reason())
          + ": its listeners and clusters are unchanged");
      ProxyContext context = proxy.context();
      return Optional.of(new TranslationResult(context.listeners().stream().map(ProxyContext.ExistingListener::listener).toList(),
          context.clusters().stream().map(ProxyContext.ExistingCluster::cluster).toList(), List.of()));
    }
    try {
      TranslationResult result = PassthroughTranslator.create(options)
          .translate(resolution.effective().get(), proxy.context());
      job.problemWarnings().forEach(streams.err()::println);
      return Optional.of(result);
    } catch (TranslationException e) {
      if (!job.problemErrors().isEmpty()) {
        job.problemErrors().forEach(streams.err()::println);
      } else {
        String location = job.strongestLocation().orElseThrow();
        for (String message : e.messages()) {
          streams.err().println(location + ": error: " + message);
        }
      }
      return Optional.empty();
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

  /** The translator options of {@code --profile} and {@code --encoding}; a combination the profile refuses is misuse. */
  /**
   * The {@code --validation} level in force: the one given, else lenient for the kuma profile
   * (Kuma's translator takes what its admission would refuse) and strict otherwise.
   */
  static ValidationLevel validationLevel(@Nullable ValidationLevel given, TranslationProfile profile) {
    if (given != null) {
      return given;
    }
    return profile == TranslationProfile.KUMA ? ValidationLevel.LENIENT : ValidationLevel.STRICT;
  }

  static TranslatorOptions options(TranslationProfile profile, Encoding encoding, CommandLine.Model.CommandSpec spec) {
    try {
      return TranslatorOptions.of(profile).withEncoding(encoding);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--encoding " + encoding.name().toLowerCase(Locale.ROOT)
          + " needs --profile exact: " + e.getMessage());
    }
  }

  /** Reads {@code --encoding legacy|matcher}, in any case. */
  static final class EncodingConverter implements CommandLine.ITypeConverter<Encoding> {
    @Override
    public Encoding convert(String value) {
      try {
        return Encoding.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("unknown encoding '" + value + "': use legacy or matcher");
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
        throw new CommandLine.TypeConversionException("unknown profile '" + value + "': use exact or kuma");
      }
    }
  }
}
