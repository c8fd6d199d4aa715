package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.validation.Violation;
import dev.meshpassthrough.validation.guardrails.Guardrails;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Guardrails in the pipeline: per-policy findings in the reports, merged findings in the run. */
class PipelineGuardrailsTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final FieldPath ENTRIES = FieldPath.of("spec", "default", "appendMatch");

  private static List<PolicyDocument> documents(String... policies) {
    StringBuilder text = new StringBuilder();
    for (String policy : policies) {
      text.append("---\n").append(policy);
    }
    var parsed = PolicyParser.create().parse(text.toString(), "policies.yaml");
    assertThat(parsed.problems()).isEmpty();
    return parsed.documents();
  }

  private static String cidr(String name, String value) {
    return "type: MeshPassthrough\nname: "
        + name
        + "\nmesh: default\nspec:\n  targetRef: {kind: Mesh}\n  default:\n"
        + "    appendMatch: [{type: CIDR, value: '"
        + value
        + "'}]\n";
  }

  private static PassthroughPipeline pipeline(String severity) {
    return PassthroughPipeline.create(
        PassthroughPipeline.Options.defaults()
            .withGuardrails(
                Guardrails.parse(
                        "kind: MeshPassthroughGuardrails\nnetworks:\n  widestPrefix: {ipv4: 8, severity: "
                            + severity
                            + "}\n",
                        "g.yaml")
                    .orElseThrow()));
  }

  @Test
  void aPolicyBreakingAnErrorGuardrail_isInvalid_andTheRunStopsAsForAnInvalidPolicy() {
    PassthroughPipeline.Result result =
        pipeline("error").run(documents(cidr("wide", "10.0.0.0/7")), PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.INVALID_POLICIES);
    assertThat(result.policies().reports().get(0).violations())
        .extracting(Violation::ruleId)
        .contains("guardrail.network.too-wide");
  }

  @Test
  void aWarningGuardrail_isReported_andTheRunTranslates() {
    PassthroughPipeline.Result result =
        pipeline("warning").run(documents(cidr("a", "10.0.0.0/8"), cidr("b", "11.0.0.0/8")), PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATED);
    assertThat(result.problems("guardrail."))
        // the first entry of the merged conf, in precedence order (weakest first)
        .extracting(Problem::severity, Problem::policy, Problem::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Severity.WARNING, Optional.of("b"), Optional.of(ENTRIES.index(0))));
  }

  @Test
  void twoPoliciesBreakingAnErrorGuardrailOnlyTogether_stopTheRunBeforeTranslating() {
    PassthroughPipeline.Result result =
        pipeline("error").run(documents(cidr("a", "10.0.0.0/8"), cidr("b", "11.0.0.0/8")), PROXY);

    assertThat(result.policies().isValid()).isTrue();
    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.INVALID_POLICIES);
    assertThat(result.resolution()).isPresent();
    assertThat(result.resources()).isEmpty();
    assertThat(result.runProblems())
        .filteredOn(p -> p.ruleId().startsWith("guardrail."))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ruleId()).isEqualTo("guardrail.network.too-wide");
              assertThat(p.message())
                  .contains("a appendMatch[0]", "b appendMatch[0]", "10.0.0.0/7");
            });
  }

  @Test
  void withoutGuardrails_theSamePoliciesTranslate() {
    PassthroughPipeline.Result result =
        PassthroughPipeline.create()
            .run(documents(cidr("a", "10.0.0.0/8"), cidr("b", "11.0.0.0/8")), PROXY);

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATED);
    assertThat(result.problems("guardrail.")).isEmpty();
  }
}
