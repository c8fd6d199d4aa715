package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough translate}: print the Envoy listeners and clusters of one proxy after the
 * policies that select it apply. A thin user of {@link PassthroughPipeline}.
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
          + "some policy is invalid, breaks an error guardrail (--guardrails FILE, checked on each policy and on the "
          + "merged conf) or the merged conf cannot be translated (reasons on standard error, naming each "
          + "policy, nothing on standard output), 2 some input or the guardrails file could not be read or parsed, "
          + "no policy was given, or the command line was misused."
    })
final class TranslateCommand implements Callable<Integer>, StreamsAware {
  @Mixin ProfileOptions profileOptions;

  @Option(
      names = "--proxy",
      paramLabel = "FILE",
      description =
          "The proxy context: the proxy.yaml schema of the conformance corpus (Dataplane address and "
              + "transparent-proxy settings, ipv6Enabled, internal addresses, and the existing listeners and clusters, "
              + "whose envoy: blocks are authoritative), with what selection reads (Dataplane name, mesh, labels, "
              + "inbound names and tags, gateway; context). examples/proxy.yaml shows every field.")
  @Nullable Path proxyFile;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "json",
      converter = OutputFormat.ForTranslate.class,
      completionCandidates = OutputFormat.ForTranslate.class,
      description = "json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--max-output-bytes",
      paramLabel = "BYTES",
      defaultValue = "33554432",
      description =
          "The most bytes the listeners and clusters a translation builds may take in protobuf encoding "
              + "(default: ${DEFAULT-VALUE}, 32 MiB, which fits a 256 MB JVM); a conf that needs more is refused (exit 1). "
              + "Give the JVM about 4 bytes of heap per byte when raising it.")
  long maxOutputBytes;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @CommandLine.Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  @CommandLine.Mixin GuardrailsOption guardrails = new GuardrailsOption();

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
    if (output == OutputFormat.text) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--output must be json or yaml for translate");
    }
    if (maxOutputBytes < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-output-bytes must be at least 1");
    }
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    PassthroughPipeline.Options options = guardrails.applyTo(profileOptions.pipelineOptions(spec));
    PassthroughPipeline pipeline =
        PassthroughPipeline.create(
            options.withTranslator(options.translator().withMaxOutputBytes(maxOutputBytes)));
    Prepared prepared = prepare(pipeline);
    if (prepared.inputs().isEmpty()) {
      return prepared.exitCode();
    }
    Inputs inputs = prepared.inputs().get();
    PassthroughPipeline.Result result = pipeline.run(inputs.validated().policies(), inputs.proxy());
    PipelineInputs.printRun(
        result, inputs.validated().locations(), inputs.proxy().selection().proxy().mesh(), streams);
    switch (result.status()) {
      case INVALID_PROXY:
        return ExitCode.UNREADABLE;
      case TRANSLATION_ERROR:
      case INVALID_POLICIES:
        return ExitCode.INVALID;
      default:
        break;
    }
    // Streamed resource by resource: the text of a big result is several times its heap.
    TranslationResult resources = result.resources().orElseThrow();
    StructuredOutput.streamDocument(streams.out(), output, resources);
    return ExitCode.OK;
  }

  /**
   * What a run needs once the policies are read and validated: the documents are not in it, only
   * where each policy and entry was written.
   *
   * @param validated the valid policies and their locations
   * @param proxy the proxy
   */
  private record Inputs(PipelineInputs.Validated validated, ProxyContext proxy) {}

  /**
   * The inputs, or the exit code of the reason there are none.
   *
   * @param exitCode the exit code when there are no inputs
   * @param inputs what to run
   */
  private record Prepared(int exitCode, Optional<Inputs> inputs) {
    static Prepared exit(int exitCode) {
      return new Prepared(exitCode, Optional.empty());
    }
  }

  /**
   * Reads and validates the policies and reads the proxy; the documents go out of scope when this
   * returns.
   */
  private Prepared prepare(PassthroughPipeline pipeline) {
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    if (!parsed.isClean()) {
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    if (parsed.documents().isEmpty()) {
      streams
          .err()
          .println(
              "meshpassthrough: translate needs at least one policy, and the input holds none");
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    Optional<ProxyContext> proxy = ProxyInputs.read(proxyFile, streams);
    if (proxy.isEmpty()) {
      return Prepared.exit(ExitCode.UNREADABLE);
    }
    Optional<PipelineInputs.Validated> validated =
        PipelineInputs.validate(pipeline, parsed.documents(), streams);
    if (validated.isEmpty()) {
      return Prepared.exit(ExitCode.INVALID);
    }
    return new Prepared(ExitCode.OK, Optional.of(new Inputs(validated.get(), proxy.get())));
  }
}
