package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@code resolve --guardrails FILE --output json|yaml}: the merged conf's findings are in the
 * document ({@code guardrails}, last key), not on standard error only; without the option the key
 * is absent.
 */
class ResolveGuardrailsOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void mergedFindings_areInTheDocument() throws IOException {
    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            "../examples/proxy.yaml",
            "--output",
            "json",
            "--guardrails",
            "../examples/guardrails/guardrails.yaml",
            "../examples/guardrails/offices");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    JsonNode findings = JSON.readTree(run.out()).get("guardrails");
    assertThat(findings).hasSize(1);
    JsonNode finding = findings.get(0);
    assertThat(finding.get("ruleId").asText()).isEqualTo("guardrail.network.too-wide");
    assertThat(finding.get("severity").asText()).isEqualTo("error");
    assertThat(finding.get("policy").asText()).isEqualTo("office-b");
    assertThat(finding.get("path").asText()).isEqualTo("spec.default.appendMatch[0]");
    assertThat(finding.get("message").asText()).contains("172.16.0.0/15");
  }

  @Test
  void withoutGuardrails_theKeyIsAbsent() throws IOException {
    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            "../examples/proxy.yaml",
            "--output",
            "json",
            "../examples/guardrails/offices");
    assertThat(run.exitCode()).isZero();
    assertThat(JSON.readTree(run.out()).has("guardrails")).isFalse();
  }
}
