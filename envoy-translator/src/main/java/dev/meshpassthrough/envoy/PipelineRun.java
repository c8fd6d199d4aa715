package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@link PassthroughPipeline}: validation, resolution and translation, in that order. */
final class PipelineRun implements PassthroughPipeline {
  /**
   * Kuma 3.x rules that reject a document Kuma 2.x admitted, and that 3.x still reads from storage.
   */
  private static final Set<String> REMOVED_IN_V3 =
      Set.of("kuma.target-ref.kind.supported", "target-ref.field.removed-in-v3");

  private final Options options;
  private final PolicyValidator validator;

  /** Kuma 2.x's validator, for documents read as stored by 2.x. */
  private final PolicyValidator storedValidator;

  PipelineRun(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    this.validator =
        PolicyValidator.create(
            new ValidationOptions(options.kumaLine(), options.effectiveValidationLevel()));
    this.storedValidator =
        PolicyValidator.create(
            new ValidationOptions(KumaLine.V2, options.effectiveValidationLevel()));
  }

  @Override
  public Options options() {
    return options;
  }

  @Override
  public Policies validate(List<PolicyDocument> documents) {
    List<ValidationResult> results = validator.validateAll(documents);
    List<Policies.Report> reports = new ArrayList<>();
    List<MeshPassthroughPolicy> valid = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      PolicyDocument document = documents.get(i);
      ValidationResult result = results.get(i);
      List<Violation> violations = new ArrayList<>();
      if (!result.isValid()
          && options.kumaLine() == KumaLine.V3
          && options.storedPolicies() == StoredPolicies.READ_AS_STORED
          && result.errors().stream().allMatch(v -> REMOVED_IN_V3.contains(v.ruleId()))) {
        ValidationResult stored = storedValidator.validate(document);
        if (stored.isValid()) {
          violations.add(
              Violation.warning(
                  FieldPath.of("spec", "targetRef"),
                  "resolve.stored-legacy",
                  "read as a policy stored by Kuma 2.x, which Kuma 3.x would reject today ("
                      + result.errors().stream()
                          .map(Violation::message)
                          .collect(Collectors.joining("; "))
                      + ")"));
          result = stored;
        }
      }
      violations.addAll(result.violations());
      Optional<MeshPassthroughPolicy> policy =
          result.isValid() ? Optional.of(result.orElseThrow()) : Optional.empty();
      if (policy.isPresent() && options.guardrails().isPresent()) {
        List<Violation> findings = options.guardrails().get().check(policy.get());
        violations.addAll(findings);
        if (findings.stream().anyMatch(Violation::isError)) {
          policy =
              Optional.empty(); // a guardrail error fails the policy as a validation error does
        }
      }
      policy.ifPresent(valid::add);
      reports.add(new Policies.Report(document, violations, policy));
    }
    // validateAll already made every second policy of a core name invalid: the set cannot refuse
    // them.
    return new Policies(reports, PolicySet.of(valid));
  }

  @Override
  public Resolution resolve(Policies policies, ProxyContext proxy) {
    ProxyFile selection = proxy.selection();
    return PolicyResolver.create()
        .resolve(
            policies.set(), selection.proxy(), selection.context().withLine(options.kumaLine()));
  }

  @Override
  public Result run(Policies policies, ProxyContext proxy) {
    if (!policies.isValid()) {
      return new Result(
          Status.INVALID_POLICIES, policies, Optional.empty(), Optional.empty(), List.of());
    }
    ProxyFile selection = proxy.selection();
    Resolution resolution;
    try {
      resolution = resolve(policies, proxy);
    } catch (IllegalArgumentException e) {
      return new Result(
          Status.INVALID_PROXY,
          policies,
          Optional.empty(),
          Optional.empty(),
          List.of(
              Problem.of(
                  "pipeline.proxy.invalid", Severity.ERROR, String.valueOf(e.getMessage()))));
    }
    List<Problem> problems = new ArrayList<>(resolution.warnings());
    missingPassthroughListeners(proxy).ifPresent(problems::add);
    if (options.guardrails().isPresent()) {
      List<Problem> findings = options.guardrails().get().checkMerged(resolution);
      problems.addAll(findings);
      if (findings.stream().anyMatch(Problem::isError)) {
        return new Result(
            Status.INVALID_POLICIES, policies, Optional.of(resolution), Optional.empty(), problems);
      }
    }
    if (resolution.effective().isEmpty()) {
      problems.add(unchangedReason(resolution, selection.proxy().name()));
      return new Result(
          Status.UNCHANGED,
          policies,
          Optional.of(resolution),
          Optional.of(TranslationResult.unchanged(proxy)),
          problems);
    }
    List<ResolutionProblem> conflicts = resolution.outcome().problems();
    try {
      TranslationResult translated =
          PassthroughTranslator.create(options.effectiveTranslator())
              .translate(resolution.effective().get(), proxy);
      conflicts.forEach(c -> problems.add(problem(c, Severity.WARNING)));
      problems.addAll(translated.notes());
      return new Result(
          Status.TRANSLATED, policies, Optional.of(resolution), Optional.of(translated), problems);
    } catch (TranslationException e) {
      if (!conflicts.isEmpty()) {
        conflicts.forEach(c -> problems.add(problem(c, Severity.ERROR)));
      } else {
        e.problems().forEach(p -> problems.add(attributed(p, resolution)));
      }
      return new Result(
          Status.TRANSLATION_ERROR, policies, Optional.of(resolution), Optional.empty(), problems);
    }
  }

  /**
   * A translation error said of the policy it concerns: an error about an entry of the merged conf
   * ({@code spec.default.appendMatch[i]}) names the entry's own policy and index; any other names
   * the strongest applied policy, whose conf the error is about as a whole.
   */
  private static Problem attributed(Problem problem, Resolution resolution) {
    List<AttributedMatch> entries = resolution.merged().map(m -> m.entries()).orElse(List.of());
    FieldPath appendMatch = FieldPath.of("spec", "default", "appendMatch");
    if (problem.path().isPresent()) {
      for (int i = 0; i < entries.size(); i++) {
        if (appendMatch.index(i).equals(problem.path().get())) {
          AttributedMatch entry = entries.get(i);
          return new Problem(
              problem.ruleId(),
              problem.severity(),
              problem.message(),
              Optional.of(entry.policy()),
              Optional.of(appendMatch.index(entry.index())));
        }
      }
    }
    AppliedPolicy strongest = resolution.applied().get(resolution.applied().size() - 1);
    return problem.of(strongest.name());
  }

  /** A conflict between entries of several policies, said of the first entry's policy and field. */
  private static Problem problem(ResolutionProblem conflict, Severity severity) {
    AttributedMatch first = conflict.entries().get(0);
    return new Problem(
        conflict.ruleId(),
        severity,
        conflict.message(),
        Optional.of(first.policy()),
        Optional.of(FieldPath.of("spec", "default", "appendMatch").index(first.index())));
  }

  private static Problem unchangedReason(Resolution resolution, String proxyName) {
    Outcome outcome = resolution.outcome();
    if (resolution.applied().isEmpty()) {
      return Problem.of(
          "pipeline.unchanged.no-policy",
          Severity.NOTE,
          "no MeshPassthrough policy selects proxy '"
              + proxyName
              + "' ("
              + outcome.reason()
              + "): its listeners and clusters are unchanged");
    }
    return Problem.of(
        "pipeline.unchanged.not-applied",
        Severity.NOTE,
        "the policies that select proxy '"
            + proxyName
            + "' do not apply: "
            + outcome.reason()
            + ": its listeners and clusters are unchanged");
  }

  /**
   * A transparent proxy whose resources hold no outbound passthrough listener: the policy has
   * nothing to rebuild, and the output would silently hold no passthrough at all.
   */
  private static Optional<Problem> missingPassthroughListeners(ProxyContext proxy) {
    if (!proxy.takesPassthrough()
        || proxy.listeners().stream()
            .anyMatch(l -> l.origin().equals(ProxyContext.ORIGIN_TRANSPARENT))) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.of(
            "proxy.passthrough-listeners.missing",
            Severity.WARNING,
            "proxy '"
                + proxy.selection().proxy().name()
                + "' runs a transparent proxy but lists no outbound passthrough listener (existing.listeners with origin "
                + ProxyContext.ORIGIN_TRANSPARENT
                + "): the policy has nothing to rebuild and the proxy gets no passthrough at all; list "
                + "Kuma's self_transparentproxy_passthrough_outbound_ipv4 and _ipv6 listeners and clusters (see examples/proxy.yaml)"));
  }
}
