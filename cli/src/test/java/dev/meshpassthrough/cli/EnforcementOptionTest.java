package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --enforcement enforce|audit} and {@code --audit-log-path} of {@code translate} and {@code
 * explain}: output, refusals.
 */
class EnforcementOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: egress
      mesh: default
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
          - {type: Domain, value: web.example.com, port: 80, protocol: http}
      """;

  @TempDir Path dir;

  private String policy() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY, StandardCharsets.UTF_8);
    return file.toString();
  }

  /** The names of the resources of translate's JSON whose names start with {@code prefix}. */
  private static List<String> names(CliRun run, String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    JSON.readTree(run.out())
        .findValues("name")
        .forEach(
            n -> {
              if (n.isTextual() && n.asText().startsWith(prefix)) {
                names.add(n.asText());
              }
            });
    return names;
  }

  @Test
  void enforceIsTheDefault_andWritesNoAuditConfiguration() throws IOException {
    CliRun byDefault = CliRun.of("translate", policy());
    CliRun enforce = CliRun.of("translate", "--enforcement", "enforce", policy());
    assertThat(byDefault.exitCode()).isZero();
    assertThat(enforce.out()).isEqualTo(byDefault.out());
    assertThat(names(byDefault, "meshpassthrough_audit")).isEmpty();
    assertThat(byDefault.out()).doesNotContain("would-deny");
  }

  @Test
  void audit_writesAuditChainsClustersAndTheLogAtTheGivenPath() throws IOException {
    CliRun run =
        CliRun.of(
            "translate",
            "--enforcement",
            "AUDIT",
            "--audit-log-path",
            "/var/log/egress-audit.log",
            policy());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(names(run, "meshpassthrough_audit"))
        .contains(
            "meshpassthrough_audit_443_*_tls",
            "meshpassthrough_audit_80_*_raw",
            "meshpassthrough_audit_*_*_any",
            "meshpassthrough_audit_443_ipv4",
            "meshpassthrough_audit_http_80_ipv4");
    JsonNode document = JSON.readTree(run.out());
    assertThat(document.findValues("path").stream().map(JsonNode::asText).distinct())
        .containsExactly("/var/log/egress-audit.log");
    assertThat(document.findValues("verdict").stream().map(JsonNode::asText).distinct())
        .containsExactly("would-deny");
  }

  @Test
  void auditDefaultsToEnvoysStandardOutput() throws IOException {
    CliRun run = CliRun.of("translate", "--enforcement", "audit", policy());
    assertThat(run.exitCode()).isZero();
    assertThat(
            JSON.readTree(run.out()).findValues("path").stream().map(JsonNode::asText).distinct())
        .containsExactly("/dev/stdout");
  }

  @Test
  void audit_underTheKumaProfile_isAUsageError() throws IOException {
    CliRun run = CliRun.of("translate", "--profile", "kuma", "--enforcement", "audit", policy());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--enforcement audit needs --profile exact");
  }

  @Test
  void auditLogPath_withoutAudit_isAUsageError() throws IOException {
    CliRun run = CliRun.of("translate", "--audit-log-path", "/tmp/x.log", policy());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--audit-log-path needs --enforcement audit");
  }

  @Test
  void auditLogPath_withAControlCharacter_isAUsageError() throws IOException {
    CliRun run =
        CliRun.of(
            "translate", "--enforcement", "audit", "--audit-log-path", "/tmp/a\nb.log", policy());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--audit-log-path: the audit log path must be");
  }

  @Test
  void unknownEnforcement_isAUsageErrorNamingTheChoices() throws IOException {
    CliRun run = CliRun.of("translate", "--enforcement", "dryrun", policy());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("unknown enforcement 'dryrun': use enforce or audit");
  }

  @Test
  void explain_underAudit_forwardsAndFlagsWhatThePolicyDenies() throws IOException {
    CliRun denied =
        CliRun.of(
            "explain",
            "--enforcement",
            "audit",
            "--to",
            "evil.example.com:443",
            "--protocol",
            "tls",
            policy());
    assertThat(denied.exitCode()).as(denied.err()).isZero();
    assertThat(denied.out())
        .contains("intent:     DENY")
        .contains("logged as would-deny")
        .contains("chain meshpassthrough_audit_443_*_tls")
        .contains("result:     AGREE");
    CliRun allowed =
        CliRun.of(
            "explain",
            "--enforcement",
            "audit",
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            policy());
    assertThat(allowed.out()).contains("intent:     ALLOW").doesNotContain("would-deny");
  }
}
