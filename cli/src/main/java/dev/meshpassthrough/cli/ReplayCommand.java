package dev.meshpassthrough.cli;

import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.testkit.PolicySimulation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough replay}: what the policies would do to the connections a log observed.
 *
 * <p>Each distinct connection class is decided once, as {@code explain} decides one connection; the
 * lines are read streaming. {@code --output json} prints one document:
 *
 * <pre>{@code
 * {"format": "csv", "profile": "exact", "lines": 9, "connections": 7, "malformed": 1,
 *  "malformedLines": [{"line": 4, "reason": "..."}],
 *  "classes": [{"protocol": "tls", "connection": "TLS (SNI a.example.com) to 192.0.2.1:443",
 *               "destination": "a.example.com:443", "count": 3, "envoy": "ALLOW",
 *               "outcome": "FORWARDED", "intent": "ALLOW", "agree": true, "knownLimitation": null,
 *               "coveringEntries": [{"index": 0, "entry": "Domain a.example.com:443/tls"}]}],
 *  "summary": {"classes": 1, "allowedLines": 3, "deniedLines": 0, "disagreeingClasses": 0,
 *              "topDenied": [{"destination": "b.example.com:443", "count": 2}]}}
 * }</pre>
 *
 * <p>Keys always appear, in this order; {@code malformedLines} lists the first {@value
 * MalformedLines#LISTED}, {@code topDenied} the first {@value ReplayReport#TOP_DENIED}.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Say what the MeshPassthrough policies of a proxy would do to connections observed in a log: for each "
          + "distinct connection, Envoy's simulated decision for the chosen profile, the policy's intent, whether they "
          + "agree, the appendMatch entry that allows it, and how many lines it had; then a summary with the top "
          + "denied destinations.",
      "",
      "--connections reads one connection per line, in a format told from its first non-empty line: a CSV "
          + "protocol,dst_ip,dst_port,sni_or_host (optional header line with exactly those names; protocol tcp, tls, "
          + "http, http2, grpc or mysql; sni_or_host empty where none was sent), an Envoy access log in JSON lines "
          + "with downstream_local_address, requested_server_name, authority and protocol, or the audit log of "
          + "--enforcement audit (JSON lines with a verdict key; see the README). "
          + "Malformed lines are counted and listed with their line numbers.",
      "",
      "Exit status: 0 replayed (also when intent and Envoy disagree: the report says so), 4 with --fail-on-deny "
          + "when Envoy would deny a connection, 1 the policy is invalid or cannot be translated, or --strict met a "
          + "malformed line, 2 some input could not be read, its format is unknown, or the command line was misused."
    })
final class ReplayCommand implements Callable<Integer>, StreamsAware {
  @Mixin ProfileOptions profileOptions;

  @Option(
      names = "--proxy",
      paramLabel = "FILE",
      description = "The proxy, in the proxy.yaml schema of translate and resolve.")
  @Nullable Path proxyFile;

  @Mixin ConnectionInput input = new ConnectionInput();

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = ForReplay.class,
      completionCandidates = ForReplay.class,
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--fail-on-deny",
      description = "Exit with 4 when Envoy would deny any observed connection (for CI gates).")
  boolean failOnDeny;

  @Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  @Parameters(
      paramLabel = "POLICY",
      arity = "1..*",
      description =
          "Policy files (YAML or JSON), directories (every .yaml, .yml and .json below them), or - for standard input.")
  List<String> inputs = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    if (input.isStandardInput() && inputs.contains(PolicyInputs.STDIN)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "standard input (-) is given for --connections and a policy, but it can be read only once");
    }
    PassthroughPipeline pipeline = PassthroughPipeline.create(profileOptions.pipelineOptions(spec));
    ExplainPipeline.Result prepared =
        new ExplainPipeline(pipeline, proxyFile, streams)
            .readAndSimulate(inputs, reading, "replay");
    if (prepared.simulation().isEmpty()) {
      return prepared.exitCode();
    }
    return replay(prepared.simulation().get());
  }

  private int replay(PolicySimulation simulation) {
    ReplayEngine engine = ReplayEngine.of(simulation);
    ConnectionInput.Result read = input.read(streams, engine::accept);
    if (read.summary().isEmpty()) {
      return read.exitCode();
    }
    ReplayReport report =
        ReplayReport.of(
            read.summary().get().format(),
            profileOptions.profile.name().toLowerCase(Locale.ROOT),
            read.summary().get().lines(),
            read.malformed(),
            engine);
    if (output == OutputFormat.json) {
      streams.out().print(StructuredOutput.write(report.tree(), output));
    } else {
      streams.out().print(report.text());
    }
    streams.out().flush();
    return failOnDeny && report.anyDenied() ? ExitCode.DENIED : ExitCode.OK;
  }

  /** {@code replay}: text, or the same report as a JSON tree. */
  static final class ForReplay extends OutputFormat.Choices {
    ForReplay() {
      super("replay", OutputFormat.text, OutputFormat.json);
    }
  }
}
