package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.validation.guardrails.Guardrails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough audit-labels}: which proxies receive passthrough from a policy that
 * selects them only through labels a service owner can set, the "rely on auditing" half of Kuma's
 * advice on MeshPassthrough.
 */
@Command(
    name = "audit-labels",
    mixinStandardHelpOptions = true,
    description = {
      "List each proxy that receives passthrough from a policy selecting it only through untrusted labels.",
      "",
      "Kuma's docs warn that a service owner who can set a label can impersonate it and inherit the passthrough of "
          + "a policy that selects proxies by that label. The guardrails file's selection.trustedLabels names the "
          + "labels only operators set (k8s.kuma.io/namespace, kuma.io/zone, ...); a policy whose targetRef selects "
          + "through Dataplane labels or MeshSubset tags none of which is trusted is untrusted. For each proxy file "
          + "of --proxies, the policies are resolved as resolve does; a proxy is listed with each untrusted policy "
          + "that gives it passthrough (its passthroughMode All when that mode wins, or its appendMatch entries when "
          + "the merged mode is Matched), naming the labels.",
      "",
      "Exit status: 0 nothing found, 1 some policy is invalid, 2 some input, proxy file or the guardrails file could "
          + "not be read, or the command line was misused, 4 some proxy receives passthrough through untrusted labels only."
    })
final class AuditLabelsCommand implements Callable<Integer>, StreamsAware {

  /** The formats of this command. */
  static final class Formats extends OutputFormat.Choices {
    Formats() {
      super("audit-labels", OutputFormat.text, OutputFormat.json);
    }
  }

  @CommandLine.Mixin GuardrailsOption guardrails = new GuardrailsOption();

  @Option(
      names = "--proxies",
      required = true,
      paramLabel = "DIR",
      description =
          "The directory of proxy files (.yaml, .yml, .json; one proxy per file, the schema of resolve's --proxy), "
              + "read below it in path order.")
  Path proxies;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = Formats.class,
      completionCandidates = Formats.class,
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @CommandLine.Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  @Parameters(
      paramLabel = "POLICY|DIR",
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

  /**
   * One untrusted grant: a proxy that receives passthrough from a policy through labels only.
   *
   * @param proxyFile the proxy's file
   * @param proxy the proxy's name
   * @param mesh the proxy's mesh
   * @param policy the policy's core name
   * @param policyAt where the policy was written
   * @param labels the untrusted selector
   */
  private record Finding(
      Path proxyFile,
      String proxy,
      String mesh,
      String policy,
      String policyAt,
      SortedMap<String, String> labels) {}

  @Override
  public Integer call() {
    if (guardrails.file == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--guardrails=FILE'");
    }
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    Guardrails rules = guardrails.guardrails().orElseThrow();
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    if (!parsed.isClean()) {
      return ExitCode.UNREADABLE;
    }
    List<Path> files;
    try {
      files = proxyFiles(proxies);
    } catch (IOException e) {
      streams
          .err()
          .println(
              "meshpassthrough: cannot read the proxy directory "
                  + proxies
                  + ": "
                  + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
      return ExitCode.UNREADABLE;
    }
    List<ProxyContext> contexts = new ArrayList<>();
    for (Path file : files) {
      Optional<ProxyContext> proxy = ProxyInputs.read(file, streams);
      if (proxy.isEmpty()) {
        return ExitCode.UNREADABLE;
      }
      contexts.add(proxy.get());
    }
    PassthroughPipeline pipeline =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults()
                .withStoredPolicies(PassthroughPipeline.StoredPolicies.READ_AS_STORED));
    Optional<PipelineInputs.Validated> validated =
        PipelineInputs.validate(pipeline, parsed.documents(), streams);
    if (validated.isEmpty()) {
      return ExitCode.INVALID;
    }
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Resolution resolution;
      try {
        resolution = pipeline.resolve(validated.get().policies(), contexts.get(i));
      } catch (IllegalArgumentException e) {
        streams
            .err()
            .println(
                "meshpassthrough: invalid proxy context: " + files.get(i) + ": " + e.getMessage());
        return ExitCode.UNREADABLE;
      }
      String name = contexts.get(i).selection().proxy().name();
      String mesh = contexts.get(i).selection().proxy().mesh();
      for (MeshPassthroughPolicy policy : grantors(resolution)) {
        Optional<SortedMap<String, String>> labels = rules.untrustedSelection(policy.targetRef());
        if (labels.isPresent()) {
          String at = validated.get().locations().of(mesh, policy.metadata().name()).toString();
          findings.add(
              new Finding(files.get(i), name, mesh, policy.metadata().name(), at, labels.get()));
        }
      }
    }
    streams
        .out()
        .print(
            output == OutputFormat.json
                ? StructuredOutput.write(tree(findings, files.size()), OutputFormat.json)
                : text(findings, files.size()));
    return findings.isEmpty() ? ExitCode.OK : ExitCode.DENIED;
  }

  /**
   * The applied policies that give the proxy passthrough: the one whose passthroughMode All wins,
   * or, when the merged mode is Matched, those with entries in the merged conf; none when the proxy
   * receives no passthrough.
   */
  private static List<MeshPassthroughPolicy> grantors(Resolution resolution) {
    Outcome.Kind kind = resolution.outcome().kind();
    if (kind == Outcome.Kind.ALLOW_ALL) {
      return resolution.modeSource().map(AppliedPolicy::policy).stream().toList();
    }
    if (kind != Outcome.Kind.ALLOW_MATCHED_ONLY
        || resolution.effective().map(c -> c.effectiveMode()).orElse(PassthroughMode.NONE)
            != PassthroughMode.MATCHED) {
      return List.of();
    }
    List<String> named =
        resolution.merged().orElseThrow().entries().stream()
            .map(AttributedMatch::policy)
            .distinct()
            .toList();
    return resolution.applied().stream()
        .map(AppliedPolicy::policy)
        .filter(p -> named.contains(p.metadata().name()))
        .toList();
  }

  /** The proxy files below {@code directory}, in path order. */
  private static List<Path> proxyFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("not a directory");
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
              })
          .sorted()
          .toList();
    }
  }

  private static String text(List<Finding> findings, int proxies) {
    StringBuilder out = new StringBuilder();
    for (Finding f : findings) {
      out.append(f.proxyFile())
          .append(": proxy ")
          .append(f.proxy())
          .append(" (mesh ")
          .append(f.mesh())
          .append(") receives passthrough from policy ")
          .append(f.policy())
          .append(" (")
          .append(f.policyAt())
          .append(") only through untrusted labels ")
          .append(labels(f.labels()))
          .append('\n');
    }
    long listed = findings.stream().map(Finding::proxyFile).distinct().count();
    out.append(proxies)
        .append(proxies == 1 ? " proxy" : " proxies")
        .append(" audited, ")
        .append(listed)
        .append(" receiving passthrough through untrusted labels only\n");
    return out.toString();
  }

  private static String labels(SortedMap<String, String> labels) {
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static Object tree(List<Finding> findings, int proxies) {
    List<Object> items = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("proxyFile", f.proxyFile().toString());
      item.put("proxy", f.proxy());
      item.put("mesh", f.mesh());
      item.put("policy", f.policy());
      item.put("policySource", f.policyAt());
      item.put("labels", new LinkedHashMap<>(f.labels()));
      items.add(item);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("proxies", proxies);
    out.put("findings", items);
    return out;
  }
}
