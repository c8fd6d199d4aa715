package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widening warnings and the non-ASCII address errors through every output of the command line:
 * validate's text, yaml and json, resolve's warnings and stderr, translate's stderr.
 */
class WideningWarningsCliTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WIDE =
      """
      default:
        appendMatch:
        - {type: CIDR, value: 0.0.0.0/1}
        - {type: CIDR, value: 128.0.0.0/1}
        - {type: Domain, value: "*.com", port: 443, protocol: tls}
        - {type: Domain, value: example.com, port: 0443, protocol: tls}
        - {type: IP, value: 0.0.0.0, port: 80}
      """;
  private static final List<String> WIDE_RULES =
      List.of(
          "match.allows-everything",
          "match.value.domain.public-suffix",
          "match.port.octal",
          "match.value.ip.unspecified");
  private static final String TIE =
      """
      type: MeshPassthrough
      name: lockdown
      labels: {kuma.io/display-name: lockdown, kuma.io/origin: zone, kuma.io/zone: zone-1}
      spec:
        targetRef: {kind: Mesh}
        default: {passthroughMode: None}
      ---
      type: MeshPassthrough
      name: allow-all
      labels: {kuma.io/display-name: allow-all, kuma.io/origin: zone, kuma.io/zone: zone-1}
      spec:
        targetRef: {kind: Mesh}
        default: {passthroughMode: All}
      """;

  @TempDir Path dir;

  @Test
  void validateText_printsEachWarningWithItsRuleId_andExitsZero() throws IOException {
    CliRun run = CliRun.of("validate", write("wide.yaml", WIDE).toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out())
        .contains(
            "4:18: warning: spec.default.appendMatch[1].value: the port-less tcp entries appendMatch[0] (0.0.0.0/1), "
                + "appendMatch[1] (128.0.0.0/1) together cover every IPv4 address (0.0.0.0/0)");
    for (String rule : WIDE_RULES) {
      assertThat(run.out()).contains(": warning: ").contains("[" + rule + "]");
    }
    assertThat(run.out()).contains("0 errors, 4 warnings");
  }

  @Test
  void validateYamlAndJson_markWarningsWithSeverityAndRule_andErrorsOnlyLeavesThemOut()
      throws IOException {
    Path file = write("wide.yaml", WIDE);
    for (String format : List.of("yaml", "json")) {
      CliRun run = CliRun.of("validate", "--output", format, file.toString());
      JsonNode tree = (format.equals("yaml") ? YAML : JSON).readTree(run.out());
      List<String> rules = new ArrayList<>();
      tree.path("violations")
          .forEach(
              v -> {
                assertThat(v.path("severity").asText()).isEqualTo("warning");
                rules.add(v.path("field").asText() + " " + v.path("rule").asText());
              });
      assertThat(rules)
          .as(format)
          .containsExactly(
              "spec.default.appendMatch[1].value match.allows-everything",
              "spec.default.appendMatch[2].value match.value.domain.public-suffix",
              "spec.default.appendMatch[3].port match.port.octal",
              "spec.default.appendMatch[4].value match.value.ip.unspecified");
    }
    JsonNode errorsOnly =
        YAML.readTree(
            CliRun.of("validate", "--output", "yaml", "--errors-only", file.toString()).out());
    assertThat(errorsOnly.path("violations")).isEmpty();
  }

  @Test
  void validateYaml_nonAsciiIp_isAnErrorInKumasShape() throws IOException {
    CliRun run =
        CliRun.of(
            "validate",
            "--output",
            "yaml",
            "--errors-only",
            write(
                    "ip.yaml",
                    "default:\n  appendMatch:\n  - {type: IP, value: \"\uFF110.0.0.1\", port: 80}\n")
                .toString());

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode violation = YAML.readTree(run.out()).path("violations").get(0);
    assertThat(violation.path("field").asText()).isEqualTo("spec.default.appendMatch[0].value");
    assertThat(violation.path("message").asText())
        .isEqualTo(
            "provided IP has incorrect value: '\uFF110.0.0.1' has U+FF11 FULLWIDTH "
                + "DIGIT ONE at position 1: addresses are ASCII only; write '10.0.0.1'");
    assertThat(violation.has("severity")).isFalse();
  }

  @Test
  void resolve_reportsTheNameOrderTieInItsWarnings_andValidatorWarningsOnStderr()
      throws IOException {
    Path wide =
        write(
            "wide-policy.yaml",
            "type: MeshPassthrough\nname: wide\nlabels: {kuma.io/display-name: wide, kuma.io/origin: zone, "
                + "kuma.io/zone: zone-1}\nspec:\n  targetRef: {kind: Dataplane, labels: {app: web}}\n  default:\n    appendMatch:\n"
                + "    - {type: Domain, value: \"*.com\", port: 443, protocol: tls}\n");
    CliRun run =
        CliRun.of(
            "resolve",
            "--output",
            "json",
            "--proxy",
            write("proxy.yaml", ResolveCommandTest.PROXY).toString(),
            write("tie.yaml", TIE).toString(),
            wide.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode tree = JSON.readTree(run.out());
    assertThat(tree.path("outcome").asText()).isEqualTo("AllowAll");
    assertThat(tree.path("warnings"))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.asText())
                    .startsWith(
                        "spec.default.passthroughMode: passthroughMode All of policy allow-all overrides None of policy lockdown only by "
                            + "name order")
                    .endsWith("[resolve.mode.name-order]"));
    assertThat(run.err())
        .contains("warning: spec.default.appendMatch[0].value: '*.com' allows every name under com")
        .contains("[match.value.domain.public-suffix]");
  }

  @Test
  void translate_printsTheNameOrderTieOnStderr() throws IOException {
    CliRun run =
        CliRun.of(
            "translate",
            "--proxy",
            write("proxy.yaml", ResolveCommandTest.PROXY).toString(),
            write("tie.yaml", TIE).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "warning: spec.default.passthroughMode: passthroughMode All of policy allow-all overrides None of "
                + "policy lockdown only by name order")
        .contains("[resolve.mode.name-order]");
  }

  @Test
  void resolveAndTranslate_rejectANonAsciiProxyAddress_namingTheCharacter() throws IOException {
    Path proxy =
        write(
            "proxy.yaml",
            ResolveCommandTest.PROXY.replace("address: 10.0.0.5", "address: \"10.0.0.\u0665\""));
    Path policy = write("tie.yaml", TIE);
    for (String command : List.of("resolve", "translate")) {
      CliRun run = CliRun.of(command, "--proxy", proxy.toString(), policy.toString());
      assertThat(run.exitCode()).as(command).isEqualTo(2);
      assertThat(run.err())
          .as(command)
          .contains(
              "dataplane.address: '10.0.0.\u0665' has U+0665 ARABIC-INDIC DIGIT FIVE at position 8");
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
