package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line's side of {@link PassthroughPipeline}: prints what validation and a run report
 * in the text form of {@code validate} and {@code translate}, each problem where it was written.
 */
final class PipelineInputs {
  private PipelineInputs() {}

  /**
   * Valid policies without their documents, and where each was written.
   *
   * @param policies the policies, documents dropped: 40,000 entries as written hold 50 MB of heap,
   *     which translating and printing them must not have to share
   * @param locations where each policy and each of its entries was written
   */
  record Validated(PassthroughPipeline.Policies policies, Locations locations) {}

  /**
   * Validates every document together, printing every violation (warnings included) on standard
   * error; empty when some document is invalid.
   */
  static Optional<Validated> validate(
      PassthroughPipeline pipeline, List<PolicyDocument> documents, Streams streams) {
    PassthroughPipeline.Policies policies = pipeline.validate(documents);
    for (PassthroughPipeline.Policies.Report report : policies.reports()) {
      printViolations(report.document(), report.violations(), streams);
    }
    if (!policies.isValid()) {
      return Optional.empty();
    }
    return Optional.of(new Validated(policies.withoutDocuments(), Locations.of(policies)));
  }

  /** Violations, warnings included, in the text form of {@code validate}, on standard error. */
  static void printViolations(
      PolicyDocument document, List<Violation> violations, Streams streams) {
    for (Violation violation : violations) {
      streams
          .err()
          .println(
              document.locationOf(violation.path())
                  + ": "
                  + violation.severity().wireName()
                  + ": "
                  + violation.path()
                  + ": "
                  + PolicyInputs.oneLine(violation.message())
                  + " ["
                  + violation.ruleId()
                  + "]");
    }
  }

  /**
   * Prints the problems of a run after validation, in order: a conflict between entries at the
   * first entry ({@code file:line:column: severity: message [rule]}), a translation error at the
   * strongest applied policy ({@code file:line:column: error: message}), a proxy the Kuma line
   * cannot have as an invalid proxy context, the translation's notes and warnings, and the
   * resolution's warnings, as {@code note: }/{@code warning: } lines by severity (the reason a
   * proxy is not applied is the unchanged note's, not repeated).
   */
  static void printRun(
      PassthroughPipeline.Result result, Locations locations, String mesh, Streams streams) {
    Optional<Resolution> resolution = result.resolution();
    Set<List<String>> conflicts = new HashSet<>();
    resolution.ifPresent(
        r -> r.outcome().problems().forEach(p -> conflicts.add(List.of(p.ruleId(), p.message()))));
    List<Problem> warnings = resolution.map(Resolution::warnings).orElse(List.of());
    List<Problem> notes =
        result.status() == PassthroughPipeline.Status.TRANSLATED
            ? result.resources().map(TranslationResult::notes).orElse(List.of())
            : List.of();
    Optional<String> reason = resolution.map(r -> r.outcome().reason());
    for (Problem problem : result.runProblems()) {
      if (problem.ruleId().equals("pipeline.proxy.invalid")) {
        streams.err().println("meshpassthrough: invalid proxy context: " + problem.message());
      } else if (conflicts.contains(List.of(problem.ruleId(), problem.message()))) {
        SourceLocation at =
            locations.of(mesh, problem.policy().orElseThrow(), problem.path().orElseThrow());
        streams
            .err()
            .println(
                at
                    + ": "
                    + problem.severity().wireName()
                    + ": "
                    + problem.message()
                    + " ["
                    + problem.ruleId()
                    + "]");
      } else if (notes.contains(problem)) {
        streams.err().println(problem.severity().wireName() + ": " + problem.message());
      } else if (warnings.contains(problem)) {
        String text = Resolution.warningText(problem);
        if (reason.isEmpty() || !text.equals(reason.get())) {
          streams.err().println("warning: " + text);
        }
      } else if (isGuardrailFinding(problem)) {
        printGuardrailFinding(problem, locations, mesh, streams);
      } else if (problem.isError() && problem.policy().isPresent() && resolution.isPresent()) {
        // A translation error: printed where the strongest applied policy was written, as the
        // merged conf it is about is that policy's as much as any; the problem itself names the
        // entry's own policy.
        List<AppliedPolicy> applied = resolution.get().applied();
        String strongest =
            applied.isEmpty() ? problem.policy().get() : applied.get(applied.size() - 1).name();
        streams.err().println(locations.of(mesh, strongest) + ": error: " + problem.message());
      } else {
        streams.err().println(problem.severity().wireName() + ": " + problem.message());
      }
    }
  }

  /** Whether a problem is a guardrail's finding on a merged conf, said of an entry. */
  static boolean isGuardrailFinding(Problem problem) {
    return problem.ruleId().startsWith("guardrail.")
        && problem.policy().isPresent()
        && problem.path().isPresent();
  }

  /**
   * A guardrail's finding on a merged conf, where its first entry was written, in the text form of
   * {@code validate}: {@code file:line:column: severity: path: message [rule]}; the message names
   * every entry and policy concerned.
   */
  static void printGuardrailFinding(
      Problem problem, Locations locations, String mesh, Streams streams) {
    FieldPath path = problem.path().orElseThrow();
    streams
        .err()
        .println(
            locations.of(mesh, problem.policy().orElseThrow(), path)
                + ": "
                + problem.severity().wireName()
                + ": "
                + path
                + ": "
                + PolicyInputs.oneLine(problem.message())
                + " ["
                + problem.ruleId()
                + "]");
  }

  /** Where each valid policy and each of its {@code appendMatch} entries was written. */
  static final class Locations {
    private final Map<List<String>, SourceLocation> documents = new HashMap<>();
    private final Map<List<String>, Map<FieldPath, SourceLocation>> entries = new HashMap<>();

    private Locations() {}

    static Locations of(PassthroughPipeline.Policies policies) {
      Locations out = new Locations();
      FieldPath appendMatch = FieldPath.of("spec", "default", "appendMatch");
      for (PassthroughPipeline.Policies.Report report : policies.reports()) {
        if (report.policy().isEmpty()) {
          continue;
        }
        MeshPassthroughPolicy policy = report.policy().get();
        List<String> key = List.of(policy.metadata().mesh(), policy.metadata().name());
        out.documents.put(key, report.document().location());
        Map<FieldPath, SourceLocation> byPath = new HashMap<>();
        int count = policy.conf().appendMatch().map(List::size).orElse(0);
        for (int i = 0; i < count; i++) {
          byPath.put(appendMatch.index(i), report.document().locationOf(appendMatch.index(i)));
        }
        out.entries.put(key, byPath);
      }
      return out;
    }

    /** Where the policy was written; every policy a run names was validated from a document. */
    SourceLocation of(String mesh, String policy) {
      return java.util.Objects.requireNonNull(
          documents.get(List.of(mesh, policy)), () -> "no document of policy " + policy);
    }

    /**
     * Where a field of the policy was written: an entry {@code spec.default.appendMatch[i]}, else
     * the document.
     */
    SourceLocation of(String mesh, String policy, FieldPath path) {
      SourceLocation entry = entries.getOrDefault(List.of(mesh, policy), Map.of()).get(path);
      return entry != null ? entry : of(mesh, policy);
    }
  }
}
