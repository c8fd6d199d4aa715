package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.diff.EgressDiff;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.validation.ValidationLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshpassthrough diff}: what a change of policies does to the egress of one proxy or of a
 * directory of proxies, by intent, computed exactly ({@link EgressDiff}).
 *
 * <p>{@code --output json} prints one document, keys always present and in this order:
 *
 * <pre>{@code
 * {"proxies": [{"proxy": "web", "widened": [CLASS...], "narrowed": [CLASS...], "unchanged": false,
 *               "noEffect": [{"side": "new", "policy": "egress", "index": 1,
 *                             "entry": "Domain api.example.com:443/tls"}]}]}
 * }</pre>
 *
 * where a class is {@code {"text", "traffic", "name": {"kind", "pattern", "except"}, "port":
 * {"port", "except"}, "address": {"family", "network", "except"}}} (see {@link DiffReport}).
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare what two sets of MeshPassthrough policies let a proxy's non-mesh traffic do, by intent: for each "
          + "proxy, the connection classes the new policies newly allow and newly deny, computed exactly (not "
          + "sampled), and the appendMatch entries that have no effect (other entries cover all they cover).",
      "",
      "The policies of each side are selected and merged for the proxy as resolve does; without --proxy or "
          + "--proxies, the proxy is translate's default: sidecar 'proxy' of mesh default.",
      "",
      "With --guardrails FILE, the new policies are checked against an operator's guardrails, each policy and "
          + "each proxy's new merged conf (the old side runs already and is not checked).",
      "",
      "Exit status: 0 no gate failed, 4 --fail-on widen (the default) and the new policies allow something the old "
          + "did not, or --fail-on any and anything differs, 1 some policy is invalid, fails translation or breaks "
          + "an error guardrail, 2 some input or the guardrails file could not be read or parsed, or the command line "
          + "was misused."
    })
final class DiffCommand implements Callable<Integer>, StreamsAware {

  @Option(
      names = "--proxy",
      paramLabel = "FILE",
      description = "The proxy, in the proxy.yaml schema of translate and resolve.")
  @Nullable Path proxyFile;

  @Option(
      names = "--proxies",
      paramLabel = "DIR",
      description =
          "A directory of proxy files (.yaml, .yml, .json, subdirectories included), each compared in turn.")
  @Nullable Path proxiesDir;

  @Option(
      names = "--kuma-version",
      paramLabel = "VERSION",
      defaultValue = "2",
      converter = KumaLineConverter.class,
      description =
          "2 or 3: the Kuma line whose selection, precedence and validation rules apply (default: ${DEFAULT-VALUE}).")
  KumaLine kumaVersion;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = ForDiff.class,
      completionCandidates = ForDiff.class,
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--fail-on",
      paramLabel = "WHEN",
      defaultValue = "widen",
      converter = FailOn.Converter.class,
      completionCandidates = FailOn.Converter.class,
      description =
          "widen (default): exit 4 when the new policies allow anything the old did not; any: exit 4 on any "
              + "difference; never: exit 0.")
  FailOn failOn;

  @Option(
      names = "--old",
      paramLabel = "POLICY|DIR",
      arity = "1..*",
      required = true,
      description =
          "The policies before the change: files (YAML or JSON), directories (every .yaml, .yml and .json below "
              + "them), or - for standard input.")
  List<String> oldInputs = new ArrayList<>();

  @Option(
      names = "--new",
      paramLabel = "POLICY|DIR",
      arity = "1..*",
      required = true,
      description = "The policies after the change, as --old.")
  List<String> newInputs = new ArrayList<>();

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  /**
   * Checked on the new side only, the change under review: on each new policy and on each proxy's
   * new merged conf. The old side is what runs already.
   */
  @Mixin GuardrailsOption guardrails = new GuardrailsOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    if (proxyFile != null && proxiesDir != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give --proxy or --proxies, not both");
    }
    long stdin =
        Stream.concat(oldInputs.stream(), newInputs.stream())
            .filter(PolicyInputs.STDIN::equals)
            .count();
    if (stdin > 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "standard input (-) is given " + stdin + " times, but it can be read only once");
    }
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    PassthroughPipeline.Options options =
        PassthroughPipeline.Options.defaults()
            .withKumaLine(kumaVersion)
            .withValidationLevel(ValidationLevel.LENIENT);
    PassthroughPipeline pipeline = PassthroughPipeline.create(options);
    PassthroughPipeline guarded = PassthroughPipeline.create(guardrails.applyTo(options));
    Optional<ParseResult> oldParsed = read(oldInputs);
    Optional<ParseResult> newParsed = read(newInputs);
    if (oldParsed.isEmpty() || newParsed.isEmpty()) {
      return ExitCode.UNREADABLE;
    }
    Optional<PipelineInputs.Validated> oldPolicies =
        PipelineInputs.validate(pipeline, oldParsed.get().documents(), streams);
    Optional<PipelineInputs.Validated> newPolicies =
        PipelineInputs.validate(guarded, newParsed.get().documents(), streams);
    if (oldPolicies.isEmpty() || newPolicies.isEmpty()) {
      return ExitCode.INVALID;
    }
    Optional<List<ProxyContext>> proxies = proxies();
    if (proxies.isEmpty()) {
      return ExitCode.UNREADABLE;
    }
    DiffReport report = new DiffReport();
    boolean guardrailErrors = false;
    for (ProxyContext proxy : proxies.get()) {
      Resolution before;
      Resolution after;
      try {
        before = pipeline.resolve(oldPolicies.get().policies(), proxy);
        after = pipeline.resolve(newPolicies.get().policies(), proxy);
      } catch (IllegalArgumentException e) {
        streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
        return ExitCode.UNREADABLE;
      }
      String name = proxy.selection().proxy().name();
      if (translationFails(name, "old", before) | translationFails(name, "new", after)) {
        return ExitCode.INVALID;
      }
      for (Problem finding :
          guardrails.guardrails().map(g -> g.checkMerged(after)).orElse(List.of())) {
        PipelineInputs.printGuardrailFinding(
            finding, newPolicies.get().locations(), proxy.selection().proxy().mesh(), streams);
        guardrailErrors |= finding.isError();
      }
      report.add(name, before, after);
    }
    streams.out().print(output == OutputFormat.json ? report.json() : report.text());
    streams.out().flush();
    if (guardrailErrors) {
      return ExitCode.INVALID;
    }
    boolean failed =
        switch (failOn) {
          case WIDEN -> report.anyWidened();
          case ANY -> report.anyChanged();
          case NEVER -> false;
        };
    return failed ? ExitCode.DENIED : ExitCode.OK;
  }

  private Optional<ParseResult> read(List<String> inputs) {
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    return parsed.isClean() ? Optional.of(parsed) : Optional.empty();
  }

  /** Prints the conflicts of a side whose merged conf Kuma's translator rejects. */
  private boolean translationFails(String proxy, String side, Resolution resolution) {
    if (resolution.outcome().kind() != Outcome.Kind.TRANSLATION_ERROR) {
      return false;
    }
    for (ResolutionProblem problem : resolution.outcome().problems()) {
      streams
          .err()
          .println(
              "meshpassthrough: proxy "
                  + proxy
                  + ": the "
                  + side
                  + " policies fail translation: "
                  + problem.message()
                  + " ["
                  + problem.ruleId()
                  + "]");
    }
    return true;
  }

  /** The proxies to compare: {@code --proxy}, each file under {@code --proxies}, or the default. */
  private Optional<List<ProxyContext>> proxies() {
    if (proxiesDir == null) {
      return ProxyInputs.read(proxyFile, streams).map(List::of);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(proxiesDir)) {
      files = walk.filter(Files::isRegularFile).filter(DiffCommand::isProxyFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      streams
          .err()
          .println(
              "meshpassthrough: cannot read the proxies "
                  + proxiesDir
                  + ": "
                  + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
      return Optional.empty();
    }
    if (files.isEmpty()) {
      streams
          .err()
          .println("meshpassthrough: no proxy file (.yaml, .yml, .json) under " + proxiesDir);
      return Optional.empty();
    }
    List<ProxyContext> out = new ArrayList<>();
    for (Path file : files) {
      Optional<ProxyContext> proxy = ProxyInputs.read(file, streams);
      if (proxy.isEmpty()) {
        return Optional.empty();
      }
      out.add(proxy.get());
    }
    return Optional.of(out);
  }

  private static boolean isProxyFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  /** When {@code diff} exits with 4. */
  enum FailOn {
    /** The new policies allow a connection the old ones denied. */
    WIDEN,
    /** Any connection is decided differently. */
    ANY,
    /** Never: the report only. */
    NEVER;

    /** Reads {@code widen}, {@code any} or {@code never} and lists them for completion. */
    static final class Converter implements CommandLine.ITypeConverter<FailOn>, Iterable<String> {
      @Override
      public FailOn convert(String value) {
        for (FailOn when : values()) {
          if (when.name().toLowerCase(Locale.ROOT).equals(value)) {
            return when;
          }
        }
        throw new CommandLine.TypeConversionException(
            "unknown value '" + PolicyInputs.oneLine(value) + "': use widen, any or never");
      }

      @Override
      public java.util.Iterator<String> iterator() {
        return Stream.of(values()).map(w -> w.name().toLowerCase(Locale.ROOT)).iterator();
      }
    }
  }

  /** {@code diff}: text, or the same report as a JSON tree. */
  static final class ForDiff extends OutputFormat.Choices {
    ForDiff() {
      super("diff", OutputFormat.text, OutputFormat.json);
    }
  }
}
