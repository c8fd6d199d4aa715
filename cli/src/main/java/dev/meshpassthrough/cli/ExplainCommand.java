package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough explain}: what the policy means for one connection, and what Envoy does
 * with it.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Say whether the MeshPassthrough policies of a proxy allow one connection (their intent) and what the Envoy "
          + "configuration it translates into does with it: by default offline, in a simulated Envoy, with Envoy's steps "
          + "(listener filters, each filter-chain level, virtual host, route and cluster); with --envoy real or both, in "
          + "a real Envoy too.",
      "",
      "The connection dials --to HOST|IP:PORT and speaks --protocol: tcp (opaque client-first bytes), mysql "
          + "(server-first: the client sends nothing), tls (a ClientHello), http (HTTP/1.1, or --http-version 1.0), "
          + "http2 or grpc (h2c with prior knowledge). A name in --to is the SNI or Host and dials 192.0.2.1 unless "
          + "--ip says otherwise: Domain rules are judged by the name the client sends, never by where it resolves.",
      "",
      "The policies that select the proxy are merged into its effective conf, as translate does; without --proxy, "
          + "the proxy is translate's default dual-stack transparent sidecar.",
      "",
      "--envoy real runs the connection through a real Envoy instead (on loopback, started for this run and stopped "
          + "after it; found through ENVOY_BIN or the project-local install of scripts/install-envoy, never installed "
          + "by explain); --envoy both prints the simulated and the real decision and compares them. A real Envoy "
          + "reports what it did, without a trace.",
      "",
      "Exit status: 0 intent and Envoy agree (with --envoy both: the intent, the simulated and the real Envoy agree "
          + "on verdict, outcome, chain and cluster), 3 they disagree (a known Kuma limitation is named when one "
          + "explains it), 1 the policy is invalid or cannot be translated, 2 some input could not be read, the "
          + "command line was misused, or --envoy real|both found no Envoy or could not run it."
    })
final class ExplainCommand implements Callable<Integer>, StreamsAware {

  @Mixin ProfileOptions profileOptions;

  @Option(
      names = "--proxy",
      paramLabel = "FILE",
      description = "The proxy, in the proxy.yaml schema of translate and resolve.")
  @Nullable Path proxyFile;

  @Option(
      names = "--to",
      paramLabel = "HOST|IP:PORT",
      required = true,
      description =
          "Where the client connects: a name (its SNI or Host) or an IP address, and a port; [IPv6]:PORT.")
  String to;

  @Option(
      names = "--protocol",
      paramLabel = "PROTOCOL",
      defaultValue = "tcp",
      converter = ProtocolConverter.class,
      description = "tcp, tls, http, http2, grpc or mysql (default: ${DEFAULT-VALUE}).")
  Protocol protocol;

  @Option(
      names = "--sni",
      paramLabel = "NAME",
      description = "The SNI of a tls connection (default: the name in --to).")
  @Nullable String sni;

  @Option(names = "--no-sni", description = "A tls connection without SNI.")
  boolean noSni;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description =
          "The Host (:authority for h2c) exactly as sent, port included if any (default: the name or address "
              + "in --to, with :PORT unless the port is 80, as curl sends it).")
  @Nullable String host;

  @Option(
      names = "--no-host",
      description = "An http request without Host (http2, grpc: h2c without :authority).")
  boolean noHost;

  @Option(
      names = "--ip",
      paramLabel = "DIALED_IP",
      description =
          "The address dialed (default: the address in --to, or 192.0.2.1 for a name; use 2001:db8::1 for IPv6).")
  @Nullable String ip;

  @Option(
      names = "--alpn",
      paramLabel = "LIST",
      split = ",",
      description = "The ALPN protocols of a tls ClientHello, in order.")
  List<String> alpn = new ArrayList<>();

  @Option(
      names = "--http-version",
      paramLabel = "VERSION",
      description = "1.0 or 1.1 for --protocol http (default: 1.1).")
  @Nullable String httpVersion;

  @Option(
      names = "--envoy",
      paramLabel = "ENVOY",
      defaultValue = "simulated",
      description =
          "simulated, real or both (default: ${DEFAULT-VALUE}): which Envoy decides. real needs an Envoy binary "
              + "(ENVOY_BIN, -Dmeshpassthrough.envoy, or scripts/install-envoy); both compares the two.")
  EnvoyMode envoy;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = OutputFormat.ForExplain.class,
      completionCandidates = OutputFormat.ForExplain.class,
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @CommandLine.Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

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
    PassthroughPipeline pipeline = PassthroughPipeline.create(profileOptions.pipelineOptions(spec));
    Connection connection = connection();
    Optional<EnvoyBinary> binary = Optional.empty();
    if (envoy.usesReal()
        && pipeline.options().effectiveTranslator().effectiveDomainPinning()
            == DomainPinning.DYNAMIC) {
      // The probe cannot let a dynamic forward proxy resolve names: it would ask the machine's
      // DNS about whatever the connection names. The project's own tests prove the pinning on a
      // real Envoy with a DNS responder of their own.
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--envoy "
              + envoy
              + " cannot judge --domain-pinning dynamic: a real Envoy would resolve the names the"
              + " connection sends with this machine's DNS; use --envoy simulated");
    }
    if (envoy.usesReal()) {
      binary = RealEnvoyLookup.find(envoy, streams);
      if (binary.isEmpty()) {
        return ExitCode.UNREADABLE;
      }
    }
    ExplainPipeline.Result prepared =
        new ExplainPipeline(pipeline, proxyFile, streams)
            .readAndSimulate(inputs, reading, "explain");
    if (prepared.simulation().isEmpty()) {
      return prepared.exitCode();
    }
    PolicySimulation simulation = prepared.simulation().get();
    Explanation explanation = simulation.explain(connection);
    if (binary.isEmpty()) {
      if (output == OutputFormat.text) {
        streams.out().print(explanation.toText());
      } else {
        streams.out().print(StructuredOutput.write(ExplainOutput.tree(explanation), output));
      }
      return explanation.agrees() ? ExitCode.OK : ExitCode.DISAGREE;
    }
    return explainReal(binary.get(), simulation, connection, explanation);
  }

  private int explainReal(
      EnvoyBinary binary,
      PolicySimulation simulation,
      Connection connection,
      Explanation explanation) {
    RealExplanation real;
    try {
      real = RealExplanation.run(binary, simulation.resources(), connection, explanation, envoy);
    } catch (RealEnvoyException e) {
      streams
          .err()
          .println("meshpassthrough: the real Envoy (" + binary + ") failed: " + e.getMessage());
      if (debug) {
        e.printStackTrace(streams.err());
      }
      return ExitCode.UNREADABLE;
    }
    if (output == OutputFormat.text) {
      streams.out().print((envoy == EnvoyMode.both ? explanation.toText() : "") + real.toText());
    } else {
      streams
          .out()
          .print(
              StructuredOutput.write(ExplainOutput.tree(explanation, Optional.of(real)), output));
    }
    return real.agrees() ? ExitCode.OK : ExitCode.DISAGREE;
  }

  private Connection connection() {
    ExplainTarget target =
        new ExplainTarget(
            to,
            protocol,
            Optional.ofNullable(sni),
            noSni ? ExplainTarget.SniMode.NONE : ExplainTarget.SniMode.DEFAULT,
            Optional.ofNullable(host),
            noHost ? ExplainTarget.HostMode.NONE : ExplainTarget.HostMode.DEFAULT,
            Optional.ofNullable(ip),
            alpn,
            Optional.ofNullable(httpVersion));
    try {
      return target.connection();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Reads {@code --protocol} by its wire name ({@code tcp}, {@code tls}, ...), in any case. */
  static final class ProtocolConverter implements CommandLine.ITypeConverter<Protocol> {
    @Override
    public Protocol convert(String value) {
      return Protocol.fromWireName(value.trim().toLowerCase(Locale.ROOT))
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "unknown protocol '"
                          + value
                          + "': use tcp, tls, http, http2, grpc or mysql"));
    }
  }
}
