package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates the policy documents of {@code translate} and {@code resolve}, prints their violations
 * and indexes the valid ones; finds the document of each resolved entry for messages.
 */
final class ResolveInputs {
  /** Kuma 3.x rules that reject a document Kuma 2.x admitted, and that 3.x still reads from storage. */
  private static final Set<String> REMOVED_IN_V3 = Set.of("kuma.target-ref.kind.supported", "target-ref.field.removed-in-v3");

  /** What to do with a document Kuma 3.x rejects only for targetRef fields and kinds it removed. */
  enum LegacyDocuments {
    /** It is invalid, as {@code validate --kuma-version 3} says. */
    REJECT,
    /** Read it as stored data from Kuma 2.x, validated with 2.x's rules, with a warning: 3.x still stores and reads it. */
    READ_AS_STORED
  }

  /**
   * The valid policies and where each was written.
   *
   * @param set the indexed policies
   * @param documents the document of each policy, by mesh and core name
   */
  record Policies(PolicySet set, Map<List<String>, PolicyDocument> documents) {
    /** The document of {@code policy} in {@code mesh}. */
    PolicyDocument document(String mesh, String policy) {
      // Every policy of the set was put here by validate().
      return Objects.requireNonNull(documents.get(List.of(mesh, policy)), () -> mesh + "/" + policy);
    }

    /** Where an entry was written: its {@code appendMatch[i]} in its document. */
    SourceLocation location(String mesh, AttributedMatch entry) {
      return document(mesh, entry.policy()).locationOf(FieldPath.of("spec", "default", "appendMatch").index(entry.index()));
    }

    /** {@code file:line:column: error: message [rule]}, at the first entry of the problem. */
    String render(String mesh, ResolutionProblem problem, String severity) {
      return location(mesh, problem.entries().get(0)) + ": " + severity + ": " + problem.message() + " [" + problem.ruleId() + "]";
    }
  }

  private ResolveInputs() {}

  /**
   * Validates every document together ({@link PolicyValidator#validateAll}), printing every violation
   * (warnings included) on standard error; empty when some document is invalid, two policies of a
   * mesh sharing a core name included.
   */
  static Optional<Policies> validate(List<PolicyDocument> documents, KumaLine version, ValidationLevel level,
      LegacyDocuments legacy, Streams streams) {
    PolicyValidator validator = PolicyValidator.create(new ValidationOptions(version, level));
    List<ValidationResult> results = validator.validateAll(documents);
    List<MeshPassthroughPolicy> policies = new ArrayList<>();
    Map<List<String>, PolicyDocument> byName = new HashMap<>();
    boolean valid = true;
    for (int i = 0; i < documents.size(); i++) {
      PolicyDocument document = documents.get(i);
      ValidationResult result = results.get(i);
      if (!result.isValid() && version == KumaLine.V3 && legacy == LegacyDocuments.READ_AS_STORED && removedInV3Only(result)) {
        ValidationResult stored = PolicyValidator.create(new ValidationOptions(KumaLine.V2, level)).validate(document);
        if (stored.isValid()) {
          streams.err().println(document.locationOf(FieldPath.of("spec", "targetRef")) + ": warning: spec.targetRef: read as a policy "
              + "stored by Kuma 2.x, which Kuma 3.x would reject today ("
              + result.errors().stream().map(Violation::message).collect(Collectors.joining("; ")) + ") [resolve.stored-legacy]");
          result = stored;
        }
      }
      printViolations(document, result.violations(), streams);
      if (!result.isValid()) {
        valid = false;
        continue;
      }
      MeshPassthroughPolicy policy = result.orElseThrow();
      byName.put(List.of(policy.metadata().mesh(), policy.metadata().name()), document);
      policies.add(policy);
    }
    return valid ? Optional.of(new Policies(PolicySet.of(policies), byName)) : Optional.empty();
  }

  private static boolean removedInV3Only(ValidationResult result) {
    return result.errors().stream().allMatch(v -> REMOVED_IN_V3.contains(v.ruleId()));
  }

  /** Violations, warnings included, in the text form of {@code validate}, on standard error. */
  static void printViolations(PolicyDocument document, List<Violation> violations, Streams streams) {
    for (Violation violation : violations) {
      streams.err().println(document.locationOf(violation.path()) + ": " + violation.severity().wireName() + ": "
          + violation.path() + ": " + PolicyInputs.oneLine(violation.message()) + " [" + violation.ruleId() + "]");
    }
  }
}
