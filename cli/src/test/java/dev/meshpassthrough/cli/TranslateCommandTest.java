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
  private static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma");

  /** Kuma's 3.x line's corpus, beside it. */
  private static final Path CORPUS3 =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma3");

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
    return CliRun.of(
        "translate",
        "--profile",
        "kuma",
        "--output",
        output,
        "--proxy",
        caseDir.resolve("proxy.yaml").toString(),
        caseDir.resolve("policy.yaml").toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translateCases")
  void kumaCorpus_comesOutAsKumasGoldens(String kase) throws IOException {
    CliRun run = translate(kase, "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode actual = JSON.readTree(run.out());
    Path caseDir = CORPUS.resolve("translate").resolve(kase);
    assertThat(only(actual, "Listener"))
        .isEqualTo(golden(caseDir.resolve("listeners.golden.yaml")));
    assertThat(only(actual, "Cluster")).isEqualTo(golden(caseDir.resolve("clusters.golden.yaml")));
  }

  static Stream<String> kuma3TranslateCases() throws IOException {
    try (Stream<Path> cases = Files.list(CORPUS3.resolve("translate"))) {
      return cases.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** The Kuma 3.x line's own cases, as a user runs them: its proxy files read as they are. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kuma3TranslateCases")
  void kuma3Corpus_comesOutAsKumasGoldens_withKumasWarnings(String kase) throws IOException {
    Path caseDir = CORPUS3.resolve("translate").resolve(kase);
    CliRun run =
        CliRun.of(
            "translate",
            "--profile",
            "kuma",
            "--kuma-version",
            "3",
            "--output",
            "json",
            "--proxy",
            caseDir.resolve("proxy.yaml").toString(),
            caseDir.resolve("policy.yaml").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode actual = JSON.readTree(run.out());
    assertThat(only(actual, "Listener"))
        .isEqualTo(golden(caseDir.resolve("listeners.golden.yaml")));
    assertThat(only(actual, "Cluster")).isEqualTo(golden(caseDir.resolve("clusters.golden.yaml")));
    List<String> expected = new ArrayList<>();
    YAML.readTree(caseDir.resolve("warnings.yaml").toFile())
        .path("warnings")
        .forEach(w -> expected.add(w.asText()));
    List<String> said = run.err().lines().filter(l -> l.contains("ignoring match \"")).toList();
    // Each of Kuma's warnings once, in order, as the translation's warning.
    assertThat(said)
        .containsExactlyElementsOf(expected.stream().map(w -> "warning: " + w).toList());
  }

  @Test
  void policyRejectedByKumasValidator_isTranslatedWithAWarning_butRejectedWhenStrict() {
    CliRun lenient = translate(REJECTED_BY_KUMAS_VALIDATOR, "json");
    assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(lenient.err())
        .contains(
            "warning: spec.default.appendMatch[3].port: wildcard domains doesn't work for all ports and layer 7 protocol");

    Path caseDir = CORPUS.resolve("translate").resolve(REJECTED_BY_KUMAS_VALIDATOR);
    CliRun run =
        CliRun.of(
            "translate",
            "--profile",
            "kuma",
            "--validation",
            "strict",
            "--proxy",
            caseDir.resolve("proxy.yaml").toString(),
            caseDir.resolve("policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(
            "error: spec.default.appendMatch[3].port: wildcard domains doesn't work for all ports and layer 7 protocol");
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
    CliRun run =
        CliRun.of(
            "translate", CORPUS.resolve("order").resolve(kase).resolve("policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(": error: ");
  }

  @Test
  void kumasOrderDependentSamePortCheck_warnsWithTheKumaProfile_andRejectsWhenStrict() {
    String policy = CORPUS.resolve("order/ordered-diff-protocols/policy.yaml").toString();
    CliRun lenient = CliRun.of("translate", "--profile", "kuma", policy);
    assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(lenient.err())
        .contains("warning: spec.default.appendMatch[1].port: using the same port");

    CliRun strict = CliRun.of("translate", "--profile", "kuma", "--validation", "strict", policy);
    assertThat(strict.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(strict.out()).isEmpty();
    assertThat(strict.err())
        .contains("error: spec.default.appendMatch[1].port: using the same port");
  }

  @Test
  void withoutProxy_translatesForTheDefaultDualStackTransparentProxy() throws IOException {
    Path policy =
        write(
            """
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
    assertThat(resources.findValuesAsText("name"))
        .contains(
            "self_transparentproxy_passthrough_outbound_ipv4",
                "self_transparentproxy_passthrough_outbound_ipv6",
            "meshpassthrough_tls_api.example.com_443", "meshpassthrough_tcp_fd00::10_5432");
    List<String> types = new ArrayList<>();
    resources.forEach(
        r -> types.add(r.path("resource").path("@type").asText().replaceAll(".*\\.", "")));
    assertThat(types).containsExactly("Listener", "Listener", "Cluster", "Cluster");
  }

  @Test
  void severalPolicies_areMergedForTheProxy_strongestModeWinning_matchesConcatenated()
      throws IOException {
    Path base =
        write(
            """
        type: MeshPassthrough
        name: a-base
        mesh: default
        spec:
          targetRef: {kind: Mesh}
          default:
            passthroughMode: None
            appendMatch:
            - {type: Domain, value: github.com, port: 443, protocol: tls}
        """);
    Path more =
        write(
            """
        type: MeshPassthrough
        name: b-more
        mesh: default
        spec:
          targetRef: {kind: Dataplane}
          default:
            passthroughMode: Matched
            appendMatch:
            - {type: IP, value: 10.0.0.9, port: 5432, protocol: tcp}
        """);

    CliRun run = CliRun.of("translate", base.toString(), more.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out()).path("resources").findValuesAsText("name"))
        .contains("meshpassthrough_tls_github.com_443", "meshpassthrough_tcp_10.0.0.9_5432");
  }

  @Test
  void policiesThatClashOnlyTogether_areRejected_namingBothPolicies() throws IOException {
    Path http =
        write(
            """
        type: MeshPassthrough
        name: a-http
        spec:
          targetRef: {kind: Mesh}
          default:
            passthroughMode: Matched
            appendMatch:
            - {type: Domain, value: example.com, port: 8080, protocol: http}
        """);
    Path grpc =
        write(
            """
        type: MeshPassthrough
        name: b-grpc
        spec:
          targetRef: {kind: Dataplane}
          default:
            appendMatch:
            - {type: Domain, value: api.example.com, port: 8080, protocol: grpc}
        """);

    CliRun run = CliRun.of("translate", "--profile", "kuma", http.toString(), grpc.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(http.getFileName() + ":8:7: error: ")
        .contains(
            ": error: you cannot configure http, http2, grpc on the same port 8080: "
                + "a-http appendMatch[0] (Domain example.com:8080/http) and b-grpc appendMatch[0] (Domain api.example.com:8080/grpc) "
                + "[kuma.translate.layer7-same-port]");
    // The exact profile routes each domain to its own cluster in one HTTP chain: no clash.
    CliRun exact = CliRun.of("translate", http.toString(), grpc.toString());
    assertThat(exact.exitCode()).as(exact.err()).isEqualTo(ExitCode.OK);
    assertThat(exact.out())
        .contains(
            "meshpassthrough_grpc_api.example.com_8080", "meshpassthrough_http_example.com_8080");
  }

  @Test
  void everyDocumentIsValidated_andEveryViolationPrinted() throws IOException {
    Path good = CORPUS.resolve("translate/simple/policy.yaml");
    Path bad =
        write(
            "type: MeshPassthrough\nname: bad\nspec:\n  default:\n    appendMatch:\n    - {type: IP, value: 10.0.0.1, port: 0}\n");

    CliRun run = CliRun.of("translate", good.toString(), bad.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(bad.getFileName() + ":6:")
        .contains("error: spec.default.appendMatch[0].port: port must be a valid (1-65535)");
  }

  @Test
  void noPolicySelectingTheProxy_printsTheResourcesUnchanged_andSaysSo() throws IOException {
    Path policy =
        write(
            """
        type: MeshPassthrough
        name: only-test
        spec:
          targetRef: {kind: Dataplane, labels: {app: test}}
          default: {passthroughMode: None}
        """);

    CliRun run = CliRun.of("translate", policy.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("note: no MeshPassthrough policy selects proxy 'proxy'")
        .contains("unchanged");
    List<String> names = new ArrayList<>();
    JSON.readTree(run.out()).path("resources").forEach(r -> names.add(r.path("name").asText()));
    assertThat(names)
        .containsExactly(
            "self_transparentproxy_passthrough_outbound_ipv4",
            "self_transparentproxy_passthrough_outbound_ipv6",
            "self_transparentproxy_passthrough_outbound_ipv4",
            "self_transparentproxy_passthrough_outbound_ipv6");
  }

  @Test
  void aProxyWithoutTransparentProxy_isNotApplied_andPrintedUnchanged() throws IOException {
    Path proxy =
        write("dataplane: {name: web-1, inbounds: [{port: 8080}], transparentProxy: false}\n");

    CliRun run =
        CliRun.of(
            "translate",
            "--proxy",
            proxy.toString(),
            CORPUS.resolve("translate/disabled-on-policy/policy.yaml").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "note: the policies that select proxy 'web-1' do not apply: "
                + "policy doesn't support proxy running without transparent-proxy");
    assertThat(JSON.readTree(run.out()).path("resources")).isEmpty();
  }

  @Test
  void anEmptyDirectory_isExitTwo() throws IOException {
    CliRun run = CliRun.of("translate", Files.createDirectory(dir.resolve("empty")).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("no .yaml, .yml or .json file found");
  }

  @Test
  void unreadableProxyContext_isExitTwo() throws IOException {
    Path proxy = write("proxy:\n  ipv6Enable: true\n");

    CliRun run =
        CliRun.of(
            "translate",
            "--proxy",
            proxy.toString(),
            CORPUS.resolve("translate/simple/policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("proxy.ipv6Enable: unknown field");
  }

  @Test
  void textOutput_isAMisuse() {
    CliRun run =
        CliRun.of(
            "translate",
            "--output",
            "text",
            CORPUS.resolve("translate/simple/policy.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--output must be json or yaml");
  }

  @Test
  void help_saysThePoliciesAreSelectedAndMerged() {
    CliRun run = CliRun.of("translate", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Takes one or more policies")
        .contains("ordered and merged as Kuma does");
  }

  @Test
  void maxOutputBytes_belowWhatTheConfBuilds_isExitOneNamingTheBound_andNothingOnStandardOutput() {
    String policy = CORPUS.resolve("translate/simple/policy.yaml").toString();

    CliRun refused = CliRun.of("translate", "--max-output-bytes", "100", policy);
    CliRun translated = CliRun.of("translate", "--max-output-bytes", "1000000", policy);

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCode.INVALID);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err().lines().toList())
        .singleElement()
        .asString()
        .contains(": error: ")
        .contains("maxOutputBytes=100");
    assertThat(translated.exitCode()).as(translated.err()).isZero();
    assertThat(CliRun.of("translate", "--max-output-bytes", "0", policy).exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
  }

  @Test
  void translationWarnings_goToStandardError_asWarnings() {
    CliRun run = translate("disabled-on-policy", "json");

    assertThat(run.exitCode()).isZero();
    // A listener still refers to a cluster the mode removed: a warning, said as one.
    assertThat(run.err())
        .startsWith("warning: listener self_transparentproxy_passthrough_outbound_");
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "input", ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private static JsonNode only(JsonNode document, String typeSuffix) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode resources = out.putArray("resources");
    document
        .path("resources")
        .forEach(
            r -> {
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
