package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TranslateCommandTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The Kuma corpus, copied once into the translator module's test resources. */
  private static final Path CORPUS = Path.of("../envoy-translator/src/test/resources/conformance/kuma");
  /**
   * The translate case whose policy Kuma's admission rejects (Kuma's plugin test skips validation):
   * the kuma profile validates leniently, so it translates; --validation strict rejects it.
   */
  private static final String REJECTED_BY_KUMAS_VALIDATOR = "http-domains-aggregated";

  @TempDir Path dir;

  static Stream<String> translateCases() throws IOException {
    try (Stream<Path> cases = Files.list(CORPUS.resolve("translate"))) {
      return cases.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  private static CliRun translate(String kase, String output) {
    Path caseDir = CORPUS.resolve("translate").resolve(kase);
    return CliRun.of("translate", "--profile", "kuma", "--output", output, "--proxy", caseDir.resolve("proxy.yaml").toString(),
        caseDir.resolve("policy.yaml").toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translateCases")
  void kumaCorpus_comesOutAsKumasGoldens(String kase) throws IOException {
    CliRun run = translate(kase, "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode actual = JSON.readTree(run.out());
    Path caseDir = CORPUS.resolve("translate").resolve(kase);
    assertThat(only(actual, "Listener")).isEqualTo(golden(caseDir.resolve("listeners.golden.yaml")));
    assertThat(only(actual, "Cluster")).isEqualTo(golden(caseDir.resolve("clusters.golden.yaml")));
  }

  @Test
  void policyRejectedByKumasValidator_isTranslatedWithAWarning_butRejectedWhenStrict() {
    CliRun lenient = translate(REJECTED_BY_KUMAS_VALIDATOR, "json");
    assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(lenient.err()).contains("warning: spec.default.appendMatch[3].port: wildcard domains doesn't work for all ports and layer 7 protocol");

    Path caseDir = CORPUS.resolve("translate").resolve(REJECTED_BY_KUMAS_VALIDATOR);
    CliRun run = CliRun.of("translate", "--profile", "kuma", "--validation", "strict", "--proxy",
        caseDir.resolve("proxy.yaml").toString(), caseDir.resolve("policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("error: spec.default.appendMatch[3].port: wildcard domains doesn't work for all ports and layer 7 protocol");
  }

  @Test
  void yamlOutput_isTheSameTreeAsJson() throws IOException {
    JsonNode json = JSON.readTree(translate("basic", "json").out());
    JsonNode yaml = YAML.readTree(translate("basic", "yaml").out());

    assertThat(yaml).isEqualTo(json);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"error-l7-protocols-same-port", "ordered"})
  void orderCorpusThatCannotWork_isRejectedOnStandardError(String kase) {
    CliRun run = CliRun.of("translate", CORPUS.resolve("order").resolve(kase).resolve("policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(": error: ");
  }

  @Test
  void kumasOrderDependentSamePortCheck_warnsWithTheKumaProfile_andRejectsWhenStrict() {
    String policy = CORPUS.resolve("order/ordered-diff-protocols/policy.yaml").toString();
    CliRun lenient = CliRun.of("translate", policy);
    assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(lenient.err()).contains("warning: spec.default.appendMatch[1].port: using the same port");

    CliRun strict = CliRun.of("translate", "--validation", "strict", policy);
    assertThat(strict.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(strict.out()).isEmpty();
    assertThat(strict.err()).contains("error: spec.default.appendMatch[1].port: using the same port");
  }

  @Test
  void withoutProxy_translatesForTheDefaultDualStackTransparentProxy() throws IOException {
    Path policy = write("""
        type: MeshPassthrough
        name: some
        mesh: default
        spec:
          targetRef: {kind: Mesh}
          default:
            passthroughMode: Matched
            appendMatch:
            - {type: Domain, value: api.example.com, port: 443, protocol: tls}
            - {type: IP, value: "fd00::10", port: 5432, protocol: tcp}
        """);

    CliRun run = CliRun.of("translate", policy.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode resources = JSON.readTree(run.out()).path("resources");
    assertThat(resources.findValuesAsText("name")).contains(
        "self_transparentproxy_passthrough_outbound_ipv4", "self_transparentproxy_passthrough_outbound_ipv6",
        "meshpassthrough_tls_api.example.com_443", "meshpassthrough_tcp_fd00::10_5432");
    List<String> types = new ArrayList<>();
    resources.forEach(r -> types.add(r.path("resource").path("@type").asText().replaceAll(".*\\.", "")));
    assertThat(types).containsExactly("Listener", "Listener", "Cluster", "Cluster");
  }

  @Test
  void twoPolicies_areAMisuseForNow() throws IOException {
    Path policy = CORPUS.resolve("translate/simple/policy.yaml");

    CliRun run = CliRun.of("translate", policy.toString(), CORPUS.resolve("translate/basic/policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("exactly one policy");
  }

  @Test
  void unreadableProxyContext_isExitTwo() throws IOException {
    Path proxy = write("proxy:\n  ipv6Enable: true\n");

    CliRun run = CliRun.of("translate", "--proxy", proxy.toString(), CORPUS.resolve("translate/simple/policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("proxy.ipv6Enable: unknown field");
  }

  @Test
  void textOutput_isAMisuse() {
    CliRun run = CliRun.of("translate", "--output", "text", CORPUS.resolve("translate/simple/policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--output must be json or yaml");
  }

  @Test
  void help_saysOnePolicyIsTheEffectiveConfForNow() {
    CliRun run = CliRun.of("translate", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("exactly one policy for now").contains("merging several policies");
  }

  @Test
  void notes_goToStandardError() {
    CliRun run = translate("disabled-on-policy", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).startsWith("note: ");
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "input", ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private static JsonNode only(JsonNode document, String typeSuffix) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode resources = out.putArray("resources");
    document.path("resources").forEach(r -> {
      if (r.path("resource").path("@type").asText().endsWith("." + typeSuffix)) {
        resources.add(r);
      }
    });
    return out;
  }

  private static JsonNode golden(Path file) throws IOException {
    JsonNode golden = YAML.readTree(file.toFile());
    if (golden == null || !golden.has("resources")) {
      ObjectNode empty = JSON.createObjectNode();
      empty.putArray("resources");
      return empty;
    }
    return golden;
  }
}
