package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.Violation;
import dev.meshpassthrough.validation.guardrails.Guardrails;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole per-proxy job of a control plane: policy documents in, validated; the policies that
 * select one proxy ordered and merged as Kuma does; their effective conf translated into the
 * proxy's Envoy listeners and clusters, or the resources left unchanged (with the reason) when no
 * policy applies; every problem on the way as data.
 *
 * <p>Validate once ({@link #validate}), then {@link #run} per proxy: validation does not depend on
 * the proxy, and {@link Policies} is immutable and shareable across threads, as is the pipeline. A
 * run is a pure function of its inputs: equal policies and proxy give equal results. The pipeline
 * never throws for bad input: invalid policies, a proxy the Kuma line cannot have and a conf Envoy
 * would reject come back as a {@link Result} with a {@link Status} and problems.
 *
 * <pre>{@code
 * PassthroughPipeline pipeline = PassthroughPipeline.create();
 * PassthroughPipeline.Policies policies = pipeline.validate(PolicyParser.create().parse(dir).documents());
 * PassthroughPipeline.Result result = pipeline.run(policies, ProxyContext.read(proxyFile));
 * if (result.isOk()) {
 *   snapshotFor(result.resources().orElseThrow());   // listeners and clusters, sorted by name
 * }
 * result.problems().forEach(p -> report(p.ruleId(), p.severity(), p.message()));
 * }</pre>
 */
public interface PassthroughPipeline {

  /**
   * A pipeline with the given options.
   *
   * @param options the Kuma line, validation level, stored-policy handling and translator options
   * @return the pipeline, stateless and thread-safe
   */
  static PassthroughPipeline create(Options options) {
    return new PipelineRun(options);
  }

  /**
   * A pipeline with {@link Options#defaults()}.
   *
   * @return the pipeline
   */
  static PassthroughPipeline create() {
    return create(Options.defaults());
  }

  /**
   * The options of this pipeline.
   *
   * @return the options
   */
  Options options();

  /**
   * Validates every document together (two policies of a mesh sharing a core name are invalid) and
   * indexes the valid ones.
   *
   * @param documents the policy documents, as {@code PolicyParser} read them
   * @return the report of every document and the set of the valid policies
   */
  Policies validate(List<PolicyDocument> documents);

  /**
   * Selects and merges the policies for one proxy, without translating: what {@code resolve} shows.
   *
   * @param policies validated policies; only the valid ones take part
   * @param proxy the proxy; the Kuma line of its control-plane context is replaced by this
   *     pipeline's
   * @return the policies that apply and what they add up to
   * @throws IllegalArgumentException when the proxy cannot exist under the pipeline's Kuma line (a
   *     builtin gateway under Kuma 3.x)
   */
  Resolution resolve(Policies policies, ProxyContext proxy);

  /**
   * Selects, merges and translates the policies for one proxy.
   *
   * @param policies validated policies; when some are invalid the run stops with {@link
   *     Status#INVALID_POLICIES}, as Kuma's admission would have refused them
   * @param proxy the proxy: its selection view (with the control-plane context, whose Kuma line is
   *     replaced by this pipeline's) and its resources before the policy applies
   * @return the result, never null
   */
  Result run(Policies policies, ProxyContext proxy);

  /**
   * Validates and runs in one step; prefer {@link #validate} once and {@link #run(Policies,
   * ProxyContext)} per proxy for many proxies.
   *
   * @param documents the policy documents
   * @param proxy the proxy
   * @return the result
   */
  default Result run(List<PolicyDocument> documents, ProxyContext proxy) {
    return run(validate(documents), proxy);
  }

  /**
   * How a pipeline validates, selects and translates.
   *
   * @param kumaLine the Kuma line whose validation, selection and precedence rules apply
   * @param validationLevel the validation level; empty means lenient for the kuma profile (Kuma's
   *     translator takes what its admission refuses) and strict otherwise
   * @param storedPolicies what to do with a document that Kuma 3.x rejects only for targetRef kinds
   *     and fields it removed
   * @param translator the translator's options
   * @param guardrails the operator's guardrails, checked on each valid policy (findings join its
   *     report) and on each proxy's merged conf (findings join the run's problems); an error
   *     finding fails the policy, or the run, as a validation error does; empty for none
   */
  record Options(
      KumaLine kumaLine,
      Optional<ValidationLevel> validationLevel,
      StoredPolicies storedPolicies,
      TranslatorOptions translator,
      Optional<Guardrails> guardrails) {

    /**
     * Checks for null.
     *
     * @param kumaLine the Kuma line whose validation, selection and precedence rules apply, not
     *     null
     * @param validationLevel the validation level, or empty for the profile's default (lenient for
     *     the kuma profile, strict otherwise); not null
     * @param storedPolicies what to do with a document that Kuma 3.x rejects only for removed
     *     targetRef kinds and fields, not null
     * @param translator the translator's options, not null
     * @param guardrails the operator's guardrails, or empty; not null
     * @throws NullPointerException when an argument is null
     */
    public Options {
      Objects.requireNonNull(kumaLine, "kumaLine");
      Objects.requireNonNull(validationLevel, "validationLevel");
      Objects.requireNonNull(storedPolicies, "storedPolicies");
      Objects.requireNonNull(translator, "translator");
      Objects.requireNonNull(guardrails, "guardrails");
    }

    /**
     * Options without guardrails.
     *
     * @param kumaLine the Kuma line whose validation, selection and precedence rules apply, not
     *     null
     * @param validationLevel the validation level, or empty for the profile's default; not null
     * @param storedPolicies what to do with a document that Kuma 3.x rejects only for removed
     *     targetRef kinds and fields, not null
     * @param translator the translator's options, not null
     * @throws NullPointerException when an argument is null
     */
    public Options(
        KumaLine kumaLine,
        Optional<ValidationLevel> validationLevel,
        StoredPolicies storedPolicies,
        TranslatorOptions translator) {
      this(kumaLine, validationLevel, storedPolicies, translator, Optional.empty());
    }

    /**
     * Kuma 2.x, the validation level of the profile, legacy documents rejected, {@link
     * TranslatorOptions#defaults()}.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(
          KumaLine.V2, Optional.empty(), StoredPolicies.REJECT, TranslatorOptions.defaults());
    }

    /**
     * A copy for another Kuma line.
     *
     * @param line the line
     * @return the copy
     */
    public Options withKumaLine(KumaLine line) {
      return new Options(line, validationLevel, storedPolicies, translator, guardrails);
    }

    /**
     * A copy with a fixed validation level.
     *
     * @param level the level
     * @return the copy
     */
    public Options withValidationLevel(ValidationLevel level) {
      return new Options(kumaLine, Optional.of(level), storedPolicies, translator, guardrails);
    }

    /**
     * A copy with another handling of stored legacy documents.
     *
     * @param handling the handling
     * @return the copy
     */
    public Options withStoredPolicies(StoredPolicies handling) {
      return new Options(kumaLine, validationLevel, handling, translator, guardrails);
    }

    /**
     * A copy with other translator options.
     *
     * @param options the translator options
     * @return the copy
     */
    public Options withTranslator(TranslatorOptions options) {
      return new Options(kumaLine, validationLevel, storedPolicies, options, guardrails);
    }

    /**
     * A copy that checks the operator's guardrails: on each valid policy in {@link
     * PassthroughPipeline#validate} (findings join the policy's report; an error makes the policy
     * invalid) and on each proxy's merged conf in {@link PassthroughPipeline#run(Policies,
     * ProxyContext)} (findings join the run's problems; an error stops the run with {@link
     * Status#INVALID_POLICIES} before translating).
     *
     * @param rules the guardrails, not null
     * @return the copy
     */
    public Options withGuardrails(Guardrails rules) {
      return new Options(kumaLine, validationLevel, storedPolicies, translator, Optional.of(rules));
    }

    /**
     * The translator options in force: {@link #translator()} with this pipeline's Kuma line, which
     * also decides the exact profile's default {@link DomainPinning}.
     *
     * @return the translator options a run translates with, never null
     */
    public TranslatorOptions effectiveTranslator() {
      return translator.withKumaLine(kumaLine);
    }

    /**
     * The validation level in force.
     *
     * @return the level given, else lenient for the kuma profile and strict otherwise
     */
    public ValidationLevel effectiveValidationLevel() {
      return validationLevel.orElse(
          translator.profile() == TranslationProfile.KUMA
              ? ValidationLevel.LENIENT
              : ValidationLevel.STRICT);
    }
  }

  /**
   * What to do with a document that Kuma 3.x rejects only for the targetRef kinds and fields it
   * removed.
   */
  enum StoredPolicies {
    /** It is invalid, as validating for Kuma 3.x says. */
    REJECT,
    /**
     * It is read as data stored by Kuma 2.x, which 3.x still stores and reads: validated with 2.x's
     * rules, with a warning {@code resolve.stored-legacy} at {@code spec.targetRef}.
     */
    READ_AS_STORED
  }

  /**
   * Validated policies: the report of every document and the set of the valid ones.
   *
   * @param reports one report per document, in the order given
   * @param set the valid policies, indexed for selection
   */
  record Policies(List<Report> reports, PolicySet set) {

    /**
     * Copies the list.
     *
     * @param reports one report per document, in the order given; copied; not null, nor any element
     * @param set the valid policies, indexed for selection; not null
     * @throws NullPointerException when an argument or a report is null
     */
    public Policies {
      reports = List.copyOf(reports);
      Objects.requireNonNull(set, "set");
    }

    /**
     * Policies that need no validation report: typed policies a control plane already holds.
     *
     * @param policies the policies
     * @return policies without documents
     * @throws IllegalArgumentException when two policies of a mesh share a core name
     */
    public static Policies of(List<MeshPassthroughPolicy> policies) {
      return new Policies(List.of(), PolicySet.of(policies));
    }

    /**
     * The same policies without their documents, to hold less memory while translating: a run of it
     * cannot tell where a problem was written, only which policy and field it concerns.
     *
     * @return the valid policies alone
     */
    public Policies withoutDocuments() {
      return new Policies(List.of(), set);
    }

    /**
     * Whether every document is valid.
     *
     * @return true when no report has an error
     */
    public boolean isValid() {
      return reports.stream().allMatch(r -> r.policy().isPresent());
    }

    /**
     * The document a valid policy was read from.
     *
     * @param mesh the policy's mesh
     * @param coreName the policy's core name
     * @return the document, empty for policies given without documents
     */
    public Optional<PolicyDocument> document(String mesh, String coreName) {
      for (Report report : reports) {
        if (report
            .policy()
            .filter(p -> p.metadata().mesh().equals(mesh) && p.metadata().name().equals(coreName))
            .isPresent()) {
          return Optional.of(report.document());
        }
      }
      return Optional.empty();
    }

    /**
     * Every violation of every document, warnings included, as problems naming the document's
     * policy and the field.
     *
     * @return the problems, in document order and, within a document, in the validator's order
     */
    public List<Problem> problems() {
      List<Problem> out = new ArrayList<>();
      for (Report report : reports) {
        for (Violation v : report.violations()) {
          out.add(
              new Problem(
                  v.ruleId(),
                  v.severity(),
                  v.message(),
                  Optional.of(report.document().coreName()),
                  Optional.of(v.path())));
        }
      }
      return out;
    }

    /**
     * The validation of one document.
     *
     * @param document the document as written
     * @param violations its violations, warnings included, in the validator's order
     * @param policy the typed policy, present exactly when no violation is an error
     */
    public record Report(
        PolicyDocument document,
        List<Violation> violations,
        Optional<MeshPassthroughPolicy> policy) {
      /**
       * Copies the list.
       *
       * @param document the document as written, not null
       * @param violations its violations, warnings included, in the validator's order; copied; not
       *     null, nor any element
       * @param policy the typed policy, present exactly when no violation is an error; not null
       * @throws NullPointerException when an argument or a violation is null
       */
      public Report {
        Objects.requireNonNull(document, "document");
        violations = List.copyOf(violations);
        Objects.requireNonNull(policy, "policy");
      }
    }
  }

  /** How a run ended. */
  enum Status {
    /** The effective conf was translated: {@link Result#resources()} holds the new resources. */
    TRANSLATED,
    /**
     * No policy applies (none selects the proxy, or the proxy cannot take the policy): the
     * resources are the proxy's own, unchanged; the reason is a problem of rule {@code
     * pipeline.unchanged.*}.
     */
    UNCHANGED,
    /**
     * Some policy document is invalid (nothing was resolved), or the merged conf of the proxy
     * breaks an error guardrail of {@link Options#guardrails()} (resolved, not translated).
     */
    INVALID_POLICIES,
    /** The proxy cannot exist under the pipeline's Kuma line (a builtin gateway under Kuma 3.x). */
    INVALID_PROXY,
    /** The merged conf cannot be turned into configuration Envoy accepts: Kuma fails the proxy. */
    TRANSLATION_ERROR
  }

  /**
   * What one run gives.
   *
   * @param status how the run ended
   * @param policies the validated policies the run used
   * @param resolution the policies that apply to the proxy and their merge; empty for {@link
   *     Status#INVALID_PROXY} and for {@link Status#INVALID_POLICIES} but when the merged conf
   *     broke a guardrail
   * @param resources every listener and cluster of the proxy afterwards (translated, or its own
   *     when unchanged); empty unless the status is {@link Status#TRANSLATED} or {@link
   *     Status#UNCHANGED}
   * @param runProblems the problems of this run beyond validation: the proxy's, the resolution's,
   *     the guardrails' on the merged conf (rule ids {@code guardrail.*}, said of the first entry's
   *     policy and index), the translation's (notes, or errors said of the entry's own policy and
   *     index, else of the strongest applied policy), and the reason the resources are unchanged
   */
  record Result(
      Status status,
      Policies policies,
      Optional<Resolution> resolution,
      Optional<TranslationResult> resources,
      List<Problem> runProblems) {

    /**
     * Copies the list and checks that resources come exactly with a good status.
     *
     * @param status how the run ended, not null
     * @param policies the validated policies the run used, not null
     * @param resolution the policies that apply to the proxy and their merge, or empty when the run
     *     stopped before resolving; not null
     * @param resources every listener and cluster of the proxy afterwards, present exactly when the
     *     status is {@link Status#TRANSLATED} or {@link Status#UNCHANGED}; not null
     * @param runProblems the problems of this run beyond validation, in the order found; copied;
     *     not null, nor any element
     * @throws NullPointerException when an argument or a problem is null
     * @throws IllegalArgumentException when resources are present with another status, or absent
     *     with one of those two
     */
    public Result {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(policies, "policies");
      Objects.requireNonNull(resolution, "resolution");
      Objects.requireNonNull(resources, "resources");
      runProblems = List.copyOf(runProblems);
      boolean ok = status == Status.TRANSLATED || status == Status.UNCHANGED;
      if (ok != resources.isPresent()) {
        throw new IllegalArgumentException(
            "resources come exactly with TRANSLATED or UNCHANGED, not " + status);
      }
    }

    /**
     * Whether the proxy has resources to serve.
     *
     * @return true for {@link Status#TRANSLATED} and {@link Status#UNCHANGED}
     */
    public boolean isOk() {
      return resources.isPresent();
    }

    /**
     * Every problem: the validation's first, then the run's.
     *
     * @return the problems, in a deterministic order
     */
    public List<Problem> problems() {
      List<Problem> out = new ArrayList<>(policies.problems());
      out.addAll(runProblems);
      return List.copyOf(out);
    }

    /**
     * The problems of the given rule id prefix, for example {@code translate.} or {@code
     * pipeline.unchanged.}.
     *
     * @param prefix the start of the rule ids
     * @return the matching problems of {@link #problems()}, in order
     */
    public List<Problem> problems(String prefix) {
      return problems().stream().filter(p -> p.ruleId().startsWith(prefix)).toList();
    }
  }
}
