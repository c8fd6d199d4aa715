package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.validation.ValidationLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough resolve}: which policies apply to one proxy, in which order, and what they
 * add up to.
 */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description = {
      "Select, order and merge the MeshPassthrough policies that apply to one proxy, as Kuma 2.x or 3.x does.",
      "",
      "Prints applied (the selecting policies, weakest first, with why each applies and its rank keys), merged "
          + "(the conf before defaults, each appendMatch entry with its policy and index; null when no policy "
          + "applies), effective (after defaults; null when the plugin does not run), outcome (AllowAll, BlockAll, "
          + "AllowMatchedOnly, NotApplied or TranslationError), reason, problems (a TranslationError's conflicts, "
          + "naming each policy and entry) and warnings.",
      "",
      "Policies are read in stored form: their labels include those Kuma computes on admission (kuma.io/origin, "
          + "kuma.io/display-name, kuma.io/zone, k8s.kuma.io/namespace, kuma.io/policy-role). With --kuma-version 3, a "
          + "document that only Kuma 3.x's removed targetRef fields or kinds make invalid is read as data stored by "
          + "Kuma 2.x, with a warning.",
      "",
      "With --guardrails FILE, each policy and the merged conf are checked against the operator's guardrails; "
          + "findings (rule ids guardrail.*) go to standard error, each where its entry was written.",
      "",
      "Exit status: 0 resolved (whatever the outcome but TranslationError), 1 some policy is invalid, breaks an "
          + "error guardrail, or the outcome is TranslationError, 2 some input or the guardrails file could not be "
          + "read or parsed, or the command line was misused."
    })
final class ResolveCommand implements Callable<Integer>, StreamsAware {

  @Option(
      names = "--proxy",
      paramLabel = "FILE",
      required = true,
      description =
          "The proxy file: the translate corpus's proxy.yaml schema with what selection reads (dataplane name, "
              + "mesh, labels, inbounds with names and tags, gateway, transparentProxy; context: controlPlane, environment, "
              + "zone, systemNamespace, meshPassthroughFlag).")
  Path proxyFile;

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
      defaultValue = "yaml",
      converter = OutputFormat.ForResolve.class,
      completionCandidates = OutputFormat.ForResolve.class,
      description = "yaml or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--validation",
      paramLabel = "LEVEL",
      defaultValue = "lenient",
      converter = ProfileOptions.ValidationLevelConverter.class,
      description =
          "strict or lenient (default: ${DEFAULT-VALUE}), as for translate: lenient reports the rules about how "
              + "entries combine as warnings, as Kuma's translator takes such policies.")
  ValidationLevel validationLevel;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @CommandLine.Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  @CommandLine.Mixin GuardrailsOption guardrails = new GuardrailsOption();

  @Parameters(
      paramLabel = "POLICY|DIR",
      arity = "0..*",
      description =
          "Policy files (YAML or JSON), directories (every .yaml, .yml and .json below them), or - for standard input; "
              + "none resolves the proxy without policies.")
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
          spec.commandLine(), "--output must be yaml or json for resolve");
    }
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    if (!parsed.isClean()) {
      return ExitCode.UNREADABLE;
    }
    Optional<ProxyContext> proxy = ProxyInputs.read(proxyFile, streams);
    if (proxy.isEmpty()) {
      return ExitCode.UNREADABLE;
    }
    PassthroughPipeline pipeline =
        PassthroughPipeline.create(
            guardrails.applyTo(
                PassthroughPipeline.Options.defaults()
                    .withKumaLine(kumaVersion)
                    .withValidationLevel(validationLevel)
                    .withStoredPolicies(PassthroughPipeline.StoredPolicies.READ_AS_STORED)));
    Optional<PipelineInputs.Validated> validated =
        PipelineInputs.validate(pipeline, parsed.documents(), streams);
    if (validated.isEmpty()) {
      return ExitCode.INVALID;
    }
    Resolution resolution;
    try {
      resolution = pipeline.resolve(validated.get().policies(), proxy.get());
    } catch (IllegalArgumentException e) {
      streams
          .err()
          .println("meshpassthrough: invalid proxy context: " + proxyFile + ": " + e.getMessage());
      return ExitCode.UNREADABLE;
    }
    ProxyFile selection = proxy.get().selection();
    String mesh = selection.proxy().mesh();
    for (ResolutionProblem problem : resolution.outcome().problems()) {
      AttributedMatch first = problem.entries().get(0);
      streams
          .err()
          .println(
              validated
                      .get()
                      .locations()
                      .of(
                          mesh,
                          first.policy(),
                          FieldPath.of("spec", "default", "appendMatch").index(first.index()))
                  + ": error: "
                  + problem.message()
                  + " ["
                  + problem.ruleId()
                  + "]");
    }
    List<Problem> findings =
        guardrails.guardrails().map(g -> g.checkMerged(resolution)).orElse(List.of());
    for (Problem finding : findings) {
      PipelineInputs.printGuardrailFinding(finding, validated.get().locations(), mesh, streams);
    }
    ProxyFile shown = new ProxyFile(selection.proxy(), selection.context().withLine(kumaVersion));
    streams
        .out()
        .print(
            StructuredOutput.write(
                ResolveOutput.tree(shown, resolution, guardrails.guardrails().map(g -> findings)),
                output));
    return resolution.outcome().kind() == Outcome.Kind.TRANSLATION_ERROR
            || findings.stream().anyMatch(Problem::isError)
        ? ExitCode.INVALID
        : ExitCode.OK;
  }
}
