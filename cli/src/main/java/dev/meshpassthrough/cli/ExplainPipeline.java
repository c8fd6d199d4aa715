package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.diff.EgressDiff;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.testkit.PolicySimulation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The steps {@code explain} shares with {@code translate}, through {@link PassthroughPipeline}:
 * validate the policies, read the proxy, select and merge the policies that apply to it, translate
 * the effective conf; then simulate the result. Problems go to standard error as {@code translate}
 * prints them.
 *
 * @param pipeline the pipeline of the command's options
 * @param proxyFile the {@code --proxy} file, or null for the default proxy
 * @param streams the streams of the run
 */
record ExplainPipeline(PassthroughPipeline pipeline, @Nullable Path proxyFile, Streams streams) {

  /**
   * Reads the policies of {@code inputs} (problems reported on standard error), then simulates the
   * proxy under them: what {@code explain} and {@code replay} do before they judge connections.
   *
   * @param inputs the policy arguments: files, directories, or {@code -}
   * @param reading how documents are read
   * @param command the command's name, for the message when the input holds no policy
   * @return the simulation, or the exit code when reading or a step failed
   */
  Result readAndSimulate(List<String> inputs, PolicyReadingOptions reading, String command) {
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    if (!parsed.isClean()) {
      return Result.failed(ExitCode.UNREADABLE);
    }
    if (parsed.documents().isEmpty()) {
      streams
          .err()
          .println(
              "meshpassthrough: "
                  + command
                  + " needs at least one policy, and the input holds none");
      return Result.failed(ExitCode.UNREADABLE);
    }
    return simulate(parsed.documents());
  }

  /**
   * The simulation of the proxy under {@code documents}.
   *
   * @return the simulation, or the exit code when a step failed
   */
  Result simulate(List<PolicyDocument> documents) {
    Optional<ProxyContext> proxy = ProxyInputs.read(proxyFile, streams);
    if (proxy.isEmpty()) {
      return Result.failed(ExitCode.UNREADABLE);
    }
    Optional<PipelineInputs.Validated> validated =
        PipelineInputs.validate(pipeline, documents, streams);
    if (validated.isEmpty()) {
      return Result.failed(ExitCode.INVALID);
    }
    PassthroughPipeline.Result run = pipeline.run(validated.get().policies(), proxy.get());
    PipelineInputs.printRun(
        run, validated.get().locations(), proxy.get().selection().proxy().mesh(), streams);
    return switch (run.status()) {
      case INVALID_PROXY -> Result.failed(ExitCode.UNREADABLE);
      case INVALID_POLICIES, TRANSLATION_ERROR -> Result.failed(ExitCode.INVALID);
      case TRANSLATED ->
          new Result(
              Optional.of(
                  PolicySimulation.of(
                      run.resolution().orElseThrow().effective().orElseThrow(),
                      run.resources().orElseThrow(),
                      pipeline.options().effectiveTranslator(),
                      proxy.get())),
              ExitCode.OK);
      case UNCHANGED ->
          new Result(
              Optional.of(
                  PolicySimulation.of(
                      // The conf the resources mean: without an effective one, the default
                      // passthrough lets everything through, unless Kuma blocks all.
                      EgressDiff.egressConf(run.resolution().orElseThrow()),
                      run.resources().orElseThrow())),
              ExitCode.OK);
    };
  }

  /**
   * A simulation, or the exit code of the step that failed.
   *
   * @param simulation the simulation, when every step succeeded
   * @param exitCode {@link ExitCode#OK} with a simulation, else why there is none
   */
  record Result(Optional<PolicySimulation> simulation, int exitCode) {
    static Result failed(int exitCode) {
      return new Result(Optional.empty(), exitCode);
    }
  }
}
