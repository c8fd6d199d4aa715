package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.envoy.LoadResult;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code lint} on one input: {@code EnvoyAcceptance}, and loading into a real Envoy.
 */
final class ResourceLint {
  /** The resource of what a real Envoy says about a whole configuration. */
  static final String ENVOY = "Envoy";

  private static final String UNKNOWN_TYPE = "any.unknown-type";

  /** The rules that need the clusters a listener names. */
  private static final Set<String> CLUSTER_REFERENCES =
      Set.of("route.unknown-cluster", "trap.missing-cluster");

  private static final Pattern HARNESS_FILE =
      Pattern.compile("^error initializing configuration '[^']*': ");

  private ResourceLint() {}

  /**
   * The updates the config dump records as rejected, then every problem {@code EnvoyAcceptance}
   * finds in the resources Envoy serves. When a config dump also holds warming versions of some
   * resources, they are checked in place of the versions they replace, and their further problems
   * added.
   */
  static List<LintProblem> accept(ResourceFile file) {
    List<LintProblem> problems = new ArrayList<>();
    for (ResourceFile.FailedUpdate failed : file.failedUpdates()) {
      problems.add(
          new LintProblem(
              file.source(),
              failed.position(),
              LintProblem.Severity.error,
              failed.resource(),
              "",
              "envoy.error-state",
              "Envoy rejected an update: " + failed.details()));
    }
    List<ResourceFile.Entry> current = file.view(ResourceFile.State.CURRENT);
    Set<AcceptanceProblem> seen = new HashSet<>();
    Map<String, Optional<ResourceFile.Position>> positions = positions(current);
    for (AcceptanceProblem problem : check(current, file)) {
      seen.add(problem);
      problems.add(
          LintProblem.of(
              file.source(),
              positions.getOrDefault(problem.resource(), Optional.empty()),
              problem));
    }
    List<ResourceFile.Entry> warming = file.view(ResourceFile.State.WARMING);
    if (!warming.equals(current)) {
      Set<String> replaced = new HashSet<>();
      warming.stream()
          .filter(e -> e.state() == ResourceFile.State.WARMING)
          .forEach(e -> replaced.add(e.key()));
      Map<String, Optional<ResourceFile.Position>> warmingPositions = positions(warming);
      for (AcceptanceProblem problem : check(warming, file)) {
        if (replaced.contains(problem.resource()) && seen.add(problem)) {
          problems.add(
              LintProblem.of(
                  file.source(),
                  warmingPositions.getOrDefault(problem.resource(), Optional.empty()),
                  problem));
        }
      }
    }
    return problems;
  }

  /**
   * Loads the resources Envoy serves into {@code envoy}; each rejection message is a problem {@code
   * envoy.rejected}.
   */
  static List<LintProblem> load(ResourceFile file, RealEnvoy envoy) {
    List<ResourceFile.Entry> current = file.view(ResourceFile.State.CURRENT);
    LoadResult result = envoy.load(ResourceFile.listeners(current), ResourceFile.clusters(current));
    if (result.accepted()) {
      return List.of();
    }
    List<String> rejections =
        result.rejections().isEmpty() ? List.of("(Envoy gave no reason)") : result.rejections();
    return rejections.stream()
        .map(
            message ->
                new LintProblem(
                    file.source(),
                    Optional.empty(),
                    LintProblem.Severity.error,
                    ENVOY,
                    "",
                    "envoy.rejected",
                    withoutHarnessFile(message)))
        .toList();
  }

  /**
   * Envoy's message without the name of the harness's temporary file ({@code error initializing
   * configuration '/tmp/.../validate1.pb': }), so that the same input gives the same output.
   */
  static String withoutHarnessFile(String message) {
    return HARNESS_FILE.matcher(message).replaceFirst("");
  }

  /**
   * {@code EnvoyAcceptance}'s problems, without {@code any.unknown-type}: the reader already
   * resolved every type URL against Envoy's API, so such a type is one Envoy knows and the check
   * only cannot look inside it (RBAC, Lua and other extensions a Kuma sidecar carries). Without
   * {@code ResourceFile#holdsClusters()}, references to clusters are not checked either.
   */
  private static List<AcceptanceProblem> check(
      List<ResourceFile.Entry> entries, ResourceFile file) {
    return EnvoyAcceptance.check(ResourceFile.listeners(entries), ResourceFile.clusters(entries))
        .stream()
        .filter(p -> !p.rule().equals(UNKNOWN_TYPE))
        .filter(p -> file.holdsClusters() || !CLUSTER_REFERENCES.contains(p.rule()))
        .toList();
  }

  /** Where each resource of {@code entries} starts: the first entry of its key. */
  private static Map<String, Optional<ResourceFile.Position>> positions(
      List<ResourceFile.Entry> entries) {
    Map<String, Optional<ResourceFile.Position>> byKey = new LinkedHashMap<>();
    entries.forEach(e -> byKey.putIfAbsent(e.key(), e.position()));
    return byKey;
  }
}
