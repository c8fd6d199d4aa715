package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --guardrails FILE} on validate, resolve and translate: findings, exit codes, formats. */
class GuardrailsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String GUARDRAILS =
      """
      kind: MeshPassthroughGuardrails
      networks:
        widestPrefix: {ipv4: 8}
        forbidden: [169.254.0.0/16]
      domains:
        requirePort: {value: true, severity: warning}
      """;

  @TempDir Path dir;
  private Path guardrails;

  @BeforeEach
  void writeGuardrails() throws IOException {
    guardrails = write("guardrails.yaml", GUARDRAILS);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static String cidr(String name, String value) {
    return "type: MeshPassthrough\nname: "
        + name
        + "\nspec:\n  targetRef: {kind: Mesh}\n  default:\n    appendMatch:\n"
        + "    - {type: CIDR, value: '"
        + value
        + "', port: 443, protocol: tls}\n";
  }

  @Test
  void validate_printsEachFindingWhereItWasWritten_andAnErrorExits1() throws IOException {
    Path policy = write("metadata.yaml", cidr("metadata", "169.254.169.254/32"));

    CliRun run = CliRun.of("validate", "--guardrails", guardrails.toString(), policy.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out())
        .isEqualTo(
            policy
                + ":7:20: error: spec.default.appendMatch[0].value: '169.254.169.254/32' overlaps the "
                + "forbidden network 169.254.0.0/16 [guardrail.network.forbidden]\n"
                + "1 policy: 0 valid, 1 invalid; 1 error, 0 warnings\n");
    assertThat(CliRun.of("validate", policy.toString()).exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void validate_aWarningFinding_exits0_unlessFailOnWarning() throws IOException {
    Path policy =
        write(
            "portless.yaml",
            "type: MeshPassthrough\nname: portless\nspec:\n  targetRef: {kind: Mesh}\n  default:\n"
                + "    appendMatch: [{type: Domain, value: example.com, protocol: tls}]\n");

    CliRun run = CliRun.of("validate", "--guardrails", guardrails.toString(), policy.toString());
    CliRun strict =
        CliRun.of(
            "validate",
            "--fail-on",
            "warning",
            "--guardrails",
            guardrails.toString(),
            policy.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains(
            "warning: spec.default.appendMatch[0].port: ", "[guardrail.domain.port-required]");
    assertThat(strict.exitCode()).isEqualTo(ExitCode.INVALID);
  }

  @Test
  void validate_sarif_carriesTheFindingWithItsRuleIdLineAndColumn() throws IOException {
    Path policy = write("metadata.yaml", cidr("metadata", "169.254.169.254/32"));

    JsonNode log =
        JSON.readTree(
            CliRun.of(
                    "validate",
                    "--output",
                    "sarif",
                    "--guardrails",
                    guardrails.toString(),
                    policy.toString())
                .out());

    JsonNode result = log.path("runs").path(0).path("results").path(0);
    assertThat(result.path("ruleId").asText()).isEqualTo("guardrail.network.forbidden");
    assertThat(result.path("level").asText()).isEqualTo("error");
    JsonNode region = result.path("locations").path(0).path("physicalLocation").path("region");
    assertThat(region.path("startLine").asInt()).isEqualTo(7);
    assertThat(region.path("startColumn").asInt()).isEqualTo(20);
  }

  @Test
  void anInvalidGuardrailsFile_exits2_withItsLineAndColumn_onEveryCommand() throws IOException {
    Path bad =
        write("bad.yaml", "kind: MeshPassthroughGuardrails\nnetworks:\n  widestPrefx: {ipv4: 8}\n");
    Path policy = write("ok.yaml", cidr("ok", "10.0.0.0/8"));
    Path proxy = write("proxy.yaml", ResolveCommandTest.PROXY);

    for (String[] args :
        new String[][] {
          {"validate", "--guardrails", bad.toString(), policy.toString()},
          {"translate", "--guardrails", bad.toString(), policy.toString()},
          {
            "resolve",
            "--guardrails",
            bad.toString(),
            "--proxy",
            proxy.toString(),
            policy.toString()
          },
          {"validate", "--guardrails", dir.resolve("missing.yaml").toString(), policy.toString()},
          {
            "serve",
            "--guardrails",
            bad.toString(),
            "--policies",
            dir.toString(),
            "--proxies",
            dir.toString(),
            "--listen",
            "127.0.0.1:0",
            "--status",
            "127.0.0.1:0"
          }
        }) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.UNREADABLE);
      assertThat(run.out()).isEmpty();
    }
    assertThat(CliRun.of("validate", "--guardrails", bad.toString(), policy.toString()).err())
        .isEqualTo(
            bad
                + ":3:3: networks.widestPrefx: unknown field 'widestPrefx': did you mean widestPrefix? "
                + "Allowed fields: widestPrefix, forbidden\n");
  }

  @Test
  void twoPoliciesBreakingARuleOnlyTogether_passValidate_butFailTranslateAndResolve()
      throws IOException {
    Path policies = dir.resolve("policies");
    write("policies/a.yaml", cidr("a", "10.0.0.0/8"));
    Path b = write("policies/b.yaml", cidr("b", "11.0.0.0/8"));
    Path proxy = write("proxy.yaml", ResolveCommandTest.PROXY);
    String finding =
        b
            + ":7:7: error: spec.default.appendMatch[0]: entries b appendMatch[0] (CIDR 11.0.0.0/8:443/tls), "
            + "a appendMatch[0] (CIDR 10.0.0.0/8:443/tls) together reach 10.0.0.0/7 on port 443, wider than /8, "
            + "the widest IPv4 prefix the guardrails allow [guardrail.network.too-wide]\n";

    CliRun validate =
        CliRun.of("validate", "--guardrails", guardrails.toString(), policies.toString());
    CliRun translate =
        CliRun.of("translate", "--guardrails", guardrails.toString(), policies.toString());
    CliRun resolve =
        CliRun.of(
            "resolve",
            "--guardrails",
            guardrails.toString(),
            "--proxy",
            proxy.toString(),
            policies.toString());

    assertThat(validate.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(translate.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(translate.out()).isEmpty();
    assertThat(translate.err()).isEqualTo(finding);
    assertThat(resolve.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(resolve.err()).isEqualTo(finding);
    assertThat(resolve.out()).contains("applied");
    assertThat(CliRun.of("translate", "--proxy", proxy.toString(), policies.toString()).exitCode())
        .isEqualTo(ExitCode.OK);
  }

  @Test
  void theReadmesExamples_giveTheExitCodesItShows() {
    String rules = "../examples/guardrails/guardrails.yaml";

    CliRun risky =
        CliRun.of("validate", "--guardrails", rules, "../examples/guardrails/risky.yaml");
    assertThat(risky.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(risky.out())
        .contains(
            "[guardrail.network.forbidden]",
            "[guardrail.domain.public-suffix]",
            "[guardrail.domain.not-allowed]",
            "[guardrail.domain.port-required]",
            "[guardrail.protocol.not-allowed]",
            "[guardrail.selection.untrusted-labels]")
        .endsWith("1 policy: 0 valid, 1 invalid; 5 errors, 2 warnings\n");
    assertThat(
            CliRun.of("validate", "--guardrails", rules, "../examples/guardrails/offices")
                .exitCode())
        .isEqualTo(ExitCode.OK);
    CliRun offices =
        CliRun.of("translate", "--guardrails", rules, "../examples/guardrails/offices");
    assertThat(offices.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(offices.err()).contains("together reach 172.16.0.0/15 on port 443");
    CliRun audit =
        CliRun.of(
            "audit-labels",
            "--guardrails",
            rules,
            "--proxies",
            "../examples/guardrails/audit/proxies",
            "../examples/guardrails/audit/policies");
    assertThat(audit.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(audit.out())
        .contains("proxy web-0 (mesh default) receives passthrough from policy s3-for-web")
        .doesNotContain("billing-0");
  }
}
