package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveCommandTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma");

  /** A sidecar with a transparent proxy in zone-1: the proxy file other CLI tests share. */
  static final String PROXY =
      """
      dataplane:
        name: web-1
        mesh: default
        labels: {app: web, kuma.io/display-name: web-1, kuma.io/origin: zone, kuma.io/zone: zone-1}
        address: 10.0.0.5
        inbounds: [{port: 8080}]
        transparentProxy: true
      context: {controlPlane: zone, environment: universal, zone: zone-1}
      """;

  private static final String LOCKDOWN =
      """
      type: MeshPassthrough
      name: lockdown
      labels: {kuma.io/display-name: lockdown, kuma.io/origin: zone, kuma.io/zone: zone-1}
      spec:
        targetRef: {kind: Mesh}
        default: {passthroughMode: None}
      """;
  private static final String WEB_ALLOW =
      """
      type: MeshPassthrough
      name: web-allow
      labels: {kuma.io/display-name: web-allow, kuma.io/origin: zone, kuma.io/zone: zone-1}
      spec:
        targetRef: {kind: Dataplane, labels: {app: web}}
        default:
          appendMatch:
          - {type: Domain, value: github.com, port: 443, protocol: tls}
      """;

  @TempDir Path dir;

  @Test
  void yamlOutput_listsAppliedPoliciesWeakestFirst_withWhyAndRankKeys_thenTheConfsAndTheOutcome()
      throws IOException {
    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            write(PROXY).toString(),
            write(LOCKDOWN + "---\n" + WEB_ALLOW).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode tree = YAML.readTree(run.out());
    assertThat(fieldNames(tree))
        .containsExactly(
            "proxy",
            "mesh",
            "kumaVersion",
            "applied",
            "merged",
            "effective",
            "outcome",
            "reason",
            "warnings");
    assertThat(tree.path("applied")).hasSize(2);
    JsonNode strongest = tree.path("applied").get(1);
    assertThat(strongest)
        .isEqualTo(
            YAML.readTree(
                """
        name: web-allow
        kind: Dataplane
        origin: zone
        role: system
        displayName: web-allow
        why: "kind Dataplane: the proxy has app=web"
        rankKeys: {kind: 2, dataplaneSpecificity: 0, origin: 3, role: 1, displayName: web-allow, name: web-allow}
        """));
    assertThat(tree.path("merged"))
        .isEqualTo(
            YAML.readTree(
                """
        passthroughMode: None
        appendMatch: [{type: Domain, value: github.com, port: 443, protocol: tls, policy: web-allow, index: 0}]
        """));
    assertThat(tree.path("effective").path("appendMatch").get(0).has("policy")).isFalse();
    assertThat(tree.path("outcome").asText()).isEqualTo("BlockAll");
    assertThat(tree.path("reason").asText()).startsWith("passthroughMode None from lockdown");
  }

  @Test
  void jsonOutput_isTheSameTreeAsYaml() throws IOException {
    String proxy = write(PROXY).toString();
    String policies = write(LOCKDOWN + "---\n" + WEB_ALLOW).toString();

    JsonNode yaml = YAML.readTree(CliRun.of("resolve", "--proxy", proxy, policies).out());
    JsonNode json =
        JSON.readTree(CliRun.of("resolve", "--output", "json", "--proxy", proxy, policies).out());

    assertThat(json).isEqualTo(yaml);
  }

  @Test
  void policiesThatClashOnlyTogether_areATranslationError_exitOne_namingEachPolicyAndEntry()
      throws IOException {
    Path grpc =
        write(
            """
        type: MeshPassthrough
        name: b-grpc
        spec:
          targetRef: {kind: Dataplane, labels: {app: web}}
          default:
            passthroughMode: Matched
            appendMatch:
            - {type: Domain, value: api.example.com, port: 8080, protocol: grpc}
        """);
    Path http =
        write(
            """
        type: MeshPassthrough
        name: a-http
        spec:
          targetRef: {kind: Mesh}
          default:
            appendMatch:
            - {type: Domain, value: example.com, port: 8080, protocol: http}
        """);

    CliRun run =
        CliRun.of(
            "resolve",
            "--output",
            "json",
            "--proxy",
            write(PROXY).toString(),
            grpc.toString(),
            http.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    JsonNode problem = JSON.readTree(run.out()).path("problems").get(0);
    assertThat(problem.path("rule").asText()).isEqualTo("kuma.translate.layer7-same-port");
    assertThat(problem.path("policies")).isEqualTo(JSON.readTree("[\"a-http\", \"b-grpc\"]"));
    assertThat(problem.path("entries").get(1))
        .isEqualTo(
            JSON.readTree(
                "{\"policy\": \"b-grpc\", \"index\": 0, \"match\": \"Domain api.example.com:8080/grpc\"}"));
    assertThat(run.err())
        .contains(
            http.getFileName()
                + ":7:7: error: you cannot configure http, http2, grpc on the same port 8080: "
                + "a-http appendMatch[0]");
  }

  @Test
  void anInvalidPolicy_isExitOne_withItsViolationsAndNothingOnStandardOutput() throws IOException {
    Path bad =
        write(
            "type: MeshPassthrough\nname: bad\nspec:\n  default:\n    passthroughMode: Sometimes\n");

    CliRun run = CliRun.of("resolve", "--proxy", write(PROXY).toString(), bad.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(bad.getFileName() + ":5:")
        .contains("error: spec.default.passthroughMode:");
  }

  @Test
  void twoPoliciesOfOneName_areExitOne() throws IOException {
    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            write(PROXY).toString(),
            write(LOCKDOWN).toString(),
            write(LOCKDOWN).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.err())
        .contains("error: name: policy lockdown of mesh default is also defined at")
        .contains("[document.name.duplicate]");
  }

  @Test
  void v3_readsAStoredLegacyKind_withAWarning_andKumasSkipWarningInTheOutput() throws IOException {
    Path legacy =
        write(
            """
        type: MeshPassthrough
        name: legacy-subset
        spec:
          targetRef: {kind: MeshSubset, tags: {kuma.io/service: web}}
          default: {passthroughMode: All}
        """);

    CliRun v3 =
        CliRun.of(
            "resolve",
            "--kuma-version",
            "3",
            "--output",
            "json",
            "--proxy",
            write(PROXY).toString(),
            legacy.toString(),
            write(LOCKDOWN).toString());
    CliRun translate = CliRun.of("translate", "--kuma-version", "3", legacy.toString());

    assertThat(v3.exitCode()).as(v3.err()).isZero();
    assertThat(v3.err())
        .contains("warning: spec.targetRef: read as a policy stored by Kuma 2.x")
        .contains("[resolve.stored-legacy]");
    JsonNode tree = JSON.readTree(v3.out());
    assertThat(tree.path("applied").get(0).path("name").asText()).isEqualTo("lockdown");
    assertThat(tree.path("warnings").get(0).asText())
        .isEqualTo(
            "unable to resolve TargetRef on policy: mesh:default name:legacy-subset error:\"unsupported targetRef kind 'MeshSubset'\"");
    assertThat(translate.exitCode())
        .as("translate keeps validating for Kuma 3.x as validate does")
        .isEqualTo(ExitCode.INVALID);
  }

  @Test
  void withoutPolicies_v2TheMeshSwitchDecides() throws IOException {
    Path proxy = write(PROXY.replace("context: {", "context: {meshPassthroughFlag: false, "));

    JsonNode v2 = YAML.readTree(CliRun.of("resolve", "--proxy", proxy.toString()).out());
    JsonNode v3 =
        YAML.readTree(
            CliRun.of("resolve", "--kuma-version", "3", "--proxy", proxy.toString()).out());

    assertThat(v2.path("outcome").asText()).isEqualTo("BlockAll");
    assertThat(v2.path("merged").isNull()).isTrue();
    assertThat(v3.path("outcome").asText()).isEqualTo("AllowAll");
  }

  @Test
  void theTranslateCorpusProxyFiles_areAcceptedUnchanged() {
    Path kase = CORPUS.resolve("translate/basic");

    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            kase.resolve("proxy.yaml").toString(),
            kase.resolve("policy.yaml").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("outcome: AllowMatchedOnly");
  }

  @Test
  void aProxyFileMistake_isExitTwo_namingTheField() throws IOException {
    CliRun run =
        CliRun.of(
            "resolve",
            "--proxy",
            write("context: {controlPlane: regional}\n").toString(),
            write(LOCKDOWN).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains("invalid proxy context: ")
        .contains("context.controlPlane: must be one of zone, global");
  }

  @Test
  void aBuiltinGatewayUnderKuma3_isExitTwo() throws IOException {
    Path proxy = write("dataplane: {name: edge, gateway: builtin, transparentProxy: true}\n");

    CliRun run =
        CliRun.of(
            "resolve",
            "--kuma-version",
            "3",
            "--proxy",
            proxy.toString(),
            write(LOCKDOWN).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("builtin gateway, which Kuma 3.x does not have");
  }

  @Test
  void misuse_isExitTwo() throws IOException {
    assertThat(CliRun.of("resolve", write(LOCKDOWN).toString()).exitCode())
        .as("--proxy is required")
        .isEqualTo(ExitCode.UNREADABLE);
    CliRun text = CliRun.of("resolve", "--output", "text", "--proxy", write(PROXY).toString());
    assertThat(text.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(text.err()).contains("--output must be yaml or json");
    assertThat(CliRun.of("resolve", "--proxy", dir.resolve("missing.yaml").toString()).err())
        .contains("cannot read the proxy context");
  }

  @Test
  void theTopLevelHelp_listsResolve() {
    assertThat(CliRun.of("--help").out()).contains("resolve");
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "input", ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
