package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.ValidationLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The steps {@code explain} shares with {@code translate}: validate the policies, read the proxy,
 * select and merge the policies that apply to it, translate the effective conf. Problems go to
 * standard error as {@code translate} prints them.
 *
 * @param options the translation profile and encoding
 * @param kumaVersion the Kuma line of validation and selection
 * @param level the validation level
 * @param proxyFile the {@code --proxy} file, or null for the default proxy
 * @param streams the streams of the run
 */
record ExplainPipeline(TranslatorOptions options, KumaLine kumaVersion, ValidationLevel level, @Nullable Path proxyFile,
    Streams streams) {

  /**
   * The simulation of the proxy under {@code documents}.
   *
   * @return the simulation, or the exit code when a step failed
   */
  Result simulate(List<PolicyDocument> documents) {
    Optional<ProxyInputs.Proxy> proxy = ProxyInputs.read(proxyFile, kumaVersion, streams);
    if (proxy.isEmpty()) {
      return Result.failed(ExitCode.UNREADABLE);
    }
    Optional<ResolveInputs.Policies> policies = ResolveInputs.validate(documents, kumaVersion, level,
        ResolveInputs.LegacyDocuments.REJECT, streams);
    if (policies.isEmpty()) {
      return Result.failed(ExitCode.INVALID);
    }
    ProxyFile selection = proxy.get().selection();
    Resolution resolution;
    try {
      resolution = PolicyResolver.create().resolve(policies.get().set(), selection.proxy(), selection.context());
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
      return Result.failed(ExitCode.UNREADABLE);
    }
    Outcome outcome = resolution.outcome();
    resolution.warnings().stream().filter(w -> !w.equals(outcome.reason())).forEach(w -> streams.err().println("warning: " + w));
    ProxyContext context = proxy.get().context();
    if (resolution.effective().isEmpty()) {
      return unchanged(resolution, selection.proxy().name(), context);
    }
    try {
      PolicySimulation simulation = PolicySimulation.translate(resolution.effective().get(), options, context);
      outcome.problems().forEach(p -> streams.err().println(policies.get().render(selection.proxy().mesh(), p, "warning")));
      simulation.resources().notes().forEach(note -> streams.err().println("note: " + note.message()));
      return new Result(Optional.of(simulation), ExitCode.OK);
    } catch (TranslationException e) {
      report(e, outcome.problems(), resolution, policies.get(), selection.proxy().mesh());
      return Result.failed(ExitCode.INVALID);
    }
  }

  /**
   * No policy applies: the proxy's resources stay as they are, and so does what they mean (the
   * default passthrough lets everything through, unless Kuma blocks all).
   */
  private Result unchanged(Resolution resolution, String proxyName, ProxyContext context) {
    Outcome outcome = resolution.outcome();
    streams.err().println("note: " + (resolution.applied().isEmpty()
        ? "no MeshPassthrough policy selects proxy '" + proxyName + "' (" + outcome.reason() + ")"
        : "the policies that select proxy '" + proxyName + "' do not apply: " + outcome.reason())
        + ": its listeners and clusters are unchanged");
    PassthroughMode mode = outcome.kind() == Outcome.Kind.BLOCK_ALL ? PassthroughMode.NONE : PassthroughMode.ALL;
    TranslationResult resources = new TranslationResult(context.listeners().stream().map(ProxyContext.ExistingListener::listener).toList(),
        context.clusters().stream().map(ProxyContext.ExistingCluster::cluster).toList(), List.of());
    return new Result(Optional.of(PolicySimulation.of(PassthroughConf.of(mode, List.of()), resources)), ExitCode.OK);
  }

  private void report(TranslationException e, List<ResolutionProblem> problems, Resolution resolution, ResolveInputs.Policies policies,
      String mesh) {
    if (!problems.isEmpty()) {
      problems.forEach(p -> streams.err().println(policies.render(mesh, p, "error")));
      return;
    }
    AppliedPolicy strongest = resolution.applied().get(resolution.applied().size() - 1);
    for (String message : e.messages()) {
      streams.err().println(policies.document(mesh, strongest.name()).location() + ": error: " + message);
    }
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
