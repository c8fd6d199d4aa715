package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.validation.ValidationLevel;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The per-proxy pipeline through its public API: every status, and the problems it reports. */
class PassthroughPipelineTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  private static List<PolicyDocument> documents(String yaml) {
    var parsed = PolicyParser.create().parse(yaml, "policies.yaml");
    assertThat(parsed.problems()).isEmpty();
    return parsed.documents();
  }

  private static String policy(String name, String conf) {
    return """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata:
          name: %s
          namespace: kuma-system
          labels:
            kuma.io/mesh: default
        spec:
          targetRef:
            kind: Mesh
          default:
        %s
        """
        .formatted(name, conf.indent(4).stripTrailing());
  }

  private static ProxyContext proxyFile(String yaml) {
    return ProxyContext.parse(yaml, "proxy.yaml");
  }

  @Test
  void noPolicySelectsTheProxy_leavesItsResourcesUnchanged_andSaysWhy() {
    PassthroughPipeline.Result result = PassthroughPipeline.create().run(List.of(), PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.UNCHANGED);
    assertThat(result.resources()).contains(TranslationResult.unchanged(PROXY));
    assertThat(result.problems("pipeline.unchanged."))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ruleId()).isEqualTo("pipeline.unchanged.no-policy");
              assertThat(p.severity()).isEqualTo(Severity.NOTE);
              assertThat(p.message()).startsWith("no MeshPassthrough policy selects proxy 'proxy'");
            });
  }

  @Test
  void aSelectingPolicy_isTranslatedExactlyAsTheTranslatorDoes() {
    PassthroughPipeline pipeline = PassthroughPipeline.create();
    PassthroughPipeline.Result result =
        pipeline.run(documents(policy("none", "passthroughMode: None")), PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATED);
    assertThat(result.resolution().orElseThrow().outcome().kind())
        .isEqualTo(Outcome.Kind.BLOCK_ALL);
    assertThat(result.resources())
        .contains(
            PassthroughTranslator.create()
                .translate(PassthroughConf.of(PassthroughMode.NONE, List.of()), PROXY));
  }

  @Test
  void anInvalidPolicy_stopsTheRun_withItsViolationsAsProblems() {
    PassthroughPipeline.Result result =
        PassthroughPipeline.create()
            .run(
                documents(
                    policy(
                        "bad",
                        """
        passthroughMode: Matched
        appendMatch:
        - type: Domain
          value: example.com
          port: 70000
          protocol: tcp""")),
                PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.INVALID_POLICIES);
    assertThat(result.isOk()).isFalse();
    assertThat(result.resources()).isEmpty();
    assertThat(result.problems())
        .filteredOn(Problem::isError)
        .first()
        .satisfies(
            p -> {
              assertThat(p.policy()).contains("bad.kuma-system");
              assertThat(p.path().map(FieldPath::toString))
                  .contains("spec.default.appendMatch[0].port");
            });
  }

  @Test
  void aConfEnvoyWouldReject_isATranslationError_attributedToThePolicy() {
    PassthroughPipeline pipeline =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults()
                .withTranslator(TranslatorOptions.of(TranslationProfile.KUMA)));
    PassthroughPipeline.Result result =
        pipeline.run(
            documents(
                policy(
                    "mixed",
                    """
        passthroughMode: Matched
        appendMatch:
        - type: Domain
          value: a.example.com
          port: 8080
          protocol: http
        - type: Domain
          value: b.example.com
          port: 8080
          protocol: http2""")),
            PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATION_ERROR);
    assertThat(result.resources()).isEmpty();
    assertThat(result.runProblems())
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.isError()).isTrue();
              assertThat(p.policy()).contains("mixed.kuma-system");
            });
  }

  @Test
  void aProxyWithoutTransparentProxy_isLeftUnchanged_asNotApplied() {
    ProxyContext proxy =
        proxyFile(
            """
        dataplane:
          name: web
          address: 10.0.0.1
          inbounds:
          - port: 8080
        """);

    PassthroughPipeline.Result result =
        PassthroughPipeline.create().run(documents(policy("none", "passthroughMode: None")), proxy);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.UNCHANGED);
    assertThat(result.resolution().orElseThrow().outcome().kind())
        .isEqualTo(Outcome.Kind.NOT_APPLIED);
    assertThat(result.problems("pipeline.unchanged."))
        .extracting(Problem::ruleId)
        .containsExactly("pipeline.unchanged.not-applied");
  }

  @Test
  void aTransparentProxyWithoutPassthroughListeners_isWarnedAbout_notSilentlyEmpty() {
    ProxyContext proxy =
        proxyFile(
            """
        dataplane:
          name: web
          address: 10.0.0.1
          inbounds:
          - port: 8080
          transparentProxy: true
        """);

    PassthroughPipeline.Result result =
        PassthroughPipeline.create().run(documents(policy("none", "passthroughMode: None")), proxy);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATED);
    assertThat(result.resources().orElseThrow().listeners()).isEmpty();
    assertThat(result.problems("proxy."))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ruleId()).isEqualTo("proxy.passthrough-listeners.missing");
              assertThat(p.severity()).isEqualTo(Severity.WARNING);
              assertThat(p.message()).contains("proxy 'web'", "examples/proxy.yaml");
            });
  }

  @Test
  void theKumaLineOfThePipeline_replacesTheProxyFilesOwn() {
    ProxyContext gateway =
        proxyFile(
            """
        dataplane:
          name: edge
          address: 10.0.0.1
          gateway: builtin
          transparentProxy: true
        """);
    PassthroughPipeline v3 =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults().withKumaLine(KumaLine.V3));

    PassthroughPipeline.Result result = v3.run(List.of(), gateway);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.INVALID_PROXY);
    assertThat(result.runProblems())
        .extracting(Problem::ruleId)
        .containsExactly("pipeline.proxy.invalid");
    assertThat(PassthroughPipeline.create().run(List.of(), gateway).status())
        .isEqualTo(PassthroughPipeline.Status.UNCHANGED);
  }

  @Test
  void aDocumentKuma3RejectsOnlyForRemovedKinds_isReadAsStored_whenAsked() {
    String legacy =
        policy("subset", "passthroughMode: None")
            .replace("kind: Mesh\n", "kind: MeshSubset\n    tags:\n      app: web\n");
    PassthroughPipeline.Options v3 =
        PassthroughPipeline.Options.defaults().withKumaLine(KumaLine.V3);

    PassthroughPipeline.Policies rejected =
        PassthroughPipeline.create(v3).validate(documents(legacy));
    PassthroughPipeline.Policies stored =
        PassthroughPipeline.create(
                v3.withStoredPolicies(PassthroughPipeline.StoredPolicies.READ_AS_STORED))
            .validate(documents(legacy));

    assertThat(rejected.isValid()).isFalse();
    assertThat(stored.isValid()).isTrue();
    assertThat(stored.problems())
        .first()
        .satisfies(
            p -> {
              assertThat(p.ruleId()).isEqualTo("resolve.stored-legacy");
              assertThat(p.severity()).isEqualTo(Severity.WARNING);
              assertThat(p.path().map(FieldPath::toString)).contains("spec.targetRef");
            });
  }

  @Test
  void theValidationLevel_followsTheProfile_unlessGiven() {
    PassthroughPipeline.Options exact = PassthroughPipeline.Options.defaults();
    PassthroughPipeline.Options kuma =
        exact.withTranslator(TranslatorOptions.of(TranslationProfile.KUMA));

    assertThat(exact.effectiveValidationLevel()).isEqualTo(ValidationLevel.STRICT);
    assertThat(kuma.effectiveValidationLevel()).isEqualTo(ValidationLevel.LENIENT);
    assertThat(kuma.withValidationLevel(ValidationLevel.STRICT).effectiveValidationLevel())
        .isEqualTo(ValidationLevel.STRICT);
  }

  @Test
  void typedPolicies_needNoDocuments() {
    PassthroughPipeline pipeline = PassthroughPipeline.create();
    PassthroughPipeline.Policies validated =
        pipeline.validate(documents(policy("none", "passthroughMode: None")));
    PassthroughPipeline.Policies typed =
        PassthroughPipeline.Policies.of(List.of(validated.reports().get(0).policy().orElseThrow()));

    assertThat(pipeline.run(typed, PROXY).resources())
        .isEqualTo(pipeline.run(validated, PROXY).resources());
    assertThat(typed.document("default", "none.kuma-system")).isEmpty();
    assertThat(validated.document("default", "none.kuma-system")).isPresent();
  }

  @Test
  void equalInputs_giveEqualResults() {
    PassthroughPipeline pipeline = PassthroughPipeline.create();
    String yaml =
        policy(
            "some",
            """
        passthroughMode: Matched
        appendMatch:
        - type: Domain
          value: example.com
          port: 443
          protocol: tls""");

    PassthroughPipeline.Result first = pipeline.run(documents(yaml), PROXY);
    PassthroughPipeline.Result second = pipeline.run(documents(yaml), PROXY);
    assertThat(second.resources()).isEqualTo(first.resources());
    assertThat(second.resolution()).isEqualTo(first.resolution());
    assertThat(second.problems()).isEqualTo(first.problems());
    assertThat(second.resources().orElseThrow().contentVersion())
        .isEqualTo(first.resources().orElseThrow().contentVersion());
    assertThat(
            new ProxyContext(
                PROXY.dataplaneAddress(),
                PROXY.transparentProxy(),
                true,
                new TreeSet<>(),
                List.of(),
                PROXY.listeners(),
                PROXY.clusters()))
        .isEqualTo(PROXY);
    assertThat(Optional.of(PROXY.selection().proxy().name())).contains(ProxyContext.DEFAULT_NAME);
  }

  @Test
  void theTranslatorAndSelection_decideApplicabilityAlike_bindOutboundsFirst() {
    ProxyContext both =
        proxyFile(
            """
        dataplane:
          name: web
          address: 10.0.0.1
          inbounds:
          - port: 8080
        proxy:
          features: [feature-bind-outbounds]
        """);

    TranslationResult translated =
        PassthroughTranslator.create()
            .translate(PassthroughConf.of(PassthroughMode.NONE, List.of()), both);
    PassthroughPipeline.Result run =
        PassthroughPipeline.create().run(documents(policy("none", "passthroughMode: None")), both);

    assertThat(translated.notes())
        .extracting(Problem::message)
        .containsExactly(
            "policy not applied: the proxy has feature-bind-outbounds, so it has no outbound passthrough");
    assertThat(run.resolution().orElseThrow().outcome().kind()).isEqualTo(Outcome.Kind.NOT_APPLIED);
    assertThat(both.takesPassthrough()).isFalse();
  }

  @Test
  void aTranslationErrorAboutOneEntry_namesThatEntrysOwnPolicyAndIndex() {
    String weak =
        policy(
            "weak",
            """
        passthroughMode: Matched
        appendMatch:
        - type: IP
          value: 10.0.0.1
          port: 5432
          protocol: tcp
        - type: IP
          value: 10.0.0.2
          port: 5432
          protocol: tcp""");
    // weak's two entries come first in the merged conf: strong's are its [2] and [3], their own [0]
    // and [1].
    String strong =
        policy(
                "strong",
                """
        passthroughMode: Matched
        appendMatch:
        - type: Domain
          value: a.example.com
          port: 8080
          protocol: http
        - type: Domain
          value: b.example.com
          port: 8080
          protocol: http2""")
            .replace("kind: Mesh\n", "kind: Dataplane\n    labels:\n      app: web\n");
    ProxyContext web =
        proxyFile(
            """
        dataplane:
          name: web
          labels: {app: web}
          address: 10.0.0.1
          inbounds:
          - port: 8080
          transparentProxy: true
        """);
    PassthroughPipeline kuma =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults()
                .withTranslator(TranslatorOptions.of(TranslationProfile.KUMA)));

    PassthroughPipeline.Result result = kuma.run(documents(weak + "---\n" + strong), web);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATION_ERROR);
    assertThat(result.resolution().orElseThrow().appliedNames())
        .containsExactly("weak.kuma-system", "strong.kuma-system");
    assertThat(result.runProblems())
        .filteredOn(Problem::isError)
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.policy()).contains("strong.kuma-system");
              assertThat(p.path().map(FieldPath::toString))
                  .hasValueSatisfying(
                      path -> assertThat(path).matches("spec\\.default\\.appendMatch\\[[01]\\]"));
            });
  }
}
