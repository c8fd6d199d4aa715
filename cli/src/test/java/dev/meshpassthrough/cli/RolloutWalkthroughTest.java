package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Rolling out a policy", step by step on {@code examples/rollout}: the audit log
 * replays as denied under the policy, {@code suggest} gives the committed {@code observed.yaml}
 * (compared after parsing), {@code diff} shows what it widens, and the two policies together deny
 * nothing observed. The audit log's lines are in the format the translator writes.
 */
class RolloutWalkthroughTest {
  private static final String DIR = "../examples/rollout/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void replay_underTheIntendedPolicy_deniesEveryAuditedConnection() {
    CliRun run =
        CliRun.of(
            "replay", "--fail-on-deny", "--connections", DIR + "audit.log", DIR + "egress.yaml");
    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out())
        .contains("replay of 7 lines (audit-log)")
        .contains("connections: 0 allowed, 7 denied by Envoy");
  }

  @Test
  void suggest_givesTheCommittedObservedPolicy() throws IOException {
    CliRun run =
        CliRun.of(
            "suggest",
            "--wildcard-threshold",
            "3",
            "--name",
            "egress-observed",
            "--connections",
            DIR + "audit.log");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode committed =
        YAML.readTree(Files.readString(Path.of(DIR + "observed.yaml"), StandardCharsets.UTF_8));
    assertThat(YAML.readTree(run.out())).isEqualTo(committed);
  }

  @Test
  void diff_showsWhatTheObservedPolicyAdds() {
    CliRun run =
        CliRun.of(
            "diff",
            "--old",
            DIR + "egress.yaml",
            "--new",
            DIR + "egress.yaml",
            DIR + "observed.yaml");
    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out())
        .contains("proxy proxy: 4 newly allowed, 0 newly denied")
        .contains("newly allowed: tls with SNI *.cdn.example.com (not the apex) to port 443");
  }

  @Test
  void bothPolicies_denyNothingObserved() {
    CliRun run =
        CliRun.of(
            "replay",
            "--fail-on-deny",
            "--connections",
            DIR + "audit.log",
            DIR + "egress.yaml",
            DIR + "observed.yaml");
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains("connections: 7 allowed, 0 denied by Envoy");
  }

  @Test
  void theAuditLog_hasTheKeysTheTranslatorWrites() throws IOException {
    CliRun translated = CliRun.of("translate", "--enforcement", "audit", DIR + "egress.yaml");
    JsonNode format = JSON.readTree(translated.out()).findValue("jsonFormat");
    for (String line : Files.readAllLines(Path.of(DIR + "audit.log"), StandardCharsets.UTF_8)) {
      JsonNode logged = JSON.readTree(line);
      assertThat(logged.fieldNames())
          .toIterable()
          .containsExactlyInAnyOrderElementsOf(() -> format.fieldNames());
      assertThat(logged.get("verdict").asText()).isEqualTo("would-deny");
    }
  }
}
