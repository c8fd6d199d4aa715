package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code diff --guardrails FILE}: the new side is checked, each policy and each proxy's merged
 * conf, with the findings where their entry was written; the old side is not.
 */
class DiffGuardrailsTest {
  private static final String GUARDRAILS = "../examples/guardrails/guardrails.yaml";

  @Test
  void twoNewPoliciesThatTogetherBreachARule_failWithTheMergedFinding_afterTheReport() {
    CliRun run =
        CliRun.of(
            "diff",
            "--guardrails",
            GUARDRAILS,
            "--old",
            "../examples/diff/old",
            "--new",
            "../examples/guardrails/offices");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).contains("newly allowed: tls without SNI or with SNI other than");
    assertThat(run.err())
        .contains("office-b.yaml:8:9: error: spec.default.appendMatch[0]: entries office-b")
        .contains("together reach 172.16.0.0/15 on port 443")
        .contains("[guardrail.network.too-wide]");
  }

  @Test
  void aNewPolicyThatBreaksARule_isInvalid() {
    CliRun run =
        CliRun.of(
            "diff",
            "--guardrails",
            GUARDRAILS,
            "--old",
            "../examples/diff/old",
            "--new",
            "../examples/diff/new");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.err()).contains("'httpbin.org' is under none of the domain suffixes");
  }

  @Test
  void theOldSide_isNotChecked() {
    CliRun run =
        CliRun.of(
            "diff",
            "--guardrails",
            GUARDRAILS,
            "--fail-on",
            "never",
            "--old",
            "../examples/diff/new",
            "--new",
            "../examples/diff/new");
    assertThat(run.err()).contains("httpbin.org");
    CliRun oldOnly =
        CliRun.of(
            "diff",
            "--guardrails",
            GUARDRAILS,
            "--fail-on",
            "never",
            "--old",
            "../examples/diff/new",
            "--new",
            "../examples/allow-all.yaml");
    assertThat(oldOnly.err()).doesNotContain("guardrail.domain");
  }

  @Test
  void anUnusableGuardrailsFile_isExit2() {
    CliRun run =
        CliRun.of(
            "diff",
            "--guardrails",
            "../examples/proxy.yaml",
            "--old",
            "../examples/diff/old",
            "--new",
            "../examples/diff/new");
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
  }
}
