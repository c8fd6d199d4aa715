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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the spec's {@code merge-cases.yaml}, for every profile it lists, through {@code
 * meshpassthrough resolve}: each policy in a file of its own, the case's {@code proxy:} and {@code
 * context:} written as a proxy file ({@code proxy.*} under {@code dataplane}, {@code bindOutbounds}
 * as {@code proxy.features}).
 */
class ResolveCommandConformanceTest {
  /** The one case whose v3 expectation Kuma's newer main line (conformance/kuma3) changed. */
  private static final String SUPERSEDED_BY_KUMA3 = "34-cross-policy-port-protocol-conflict";

  private static final Path CASES = Path.of("../core/src/test/resources/resolve/merge-cases.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Stream<Arguments> casesAndProfiles() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode kase : YAML.readTree(CASES.toFile()).path("cases")) {
      kase.path("profiles")
          .forEach(
              profile -> out.add(Arguments.of(kase.path("id").asText(), profile.asText(), kase)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("casesAndProfiles")
  void caseResolvesAsExpected_throughTheCli(String id, String profile, JsonNode kase)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "resolve",
                "--output",
                "json",
                "--kuma-version",
                profile.substring(1),
                "--proxy",
                write("proxy.yaml", proxyFile(kase)).toString()));
    int index = 0;
    for (JsonNode policy : kase.path("policies")) {
      args.add(write("policy-" + index++ + ".yaml", YAML.writeValueAsString(policy)).toString());
    }

    CliRun run = CliRun.of(args.toArray(String[]::new));

    JsonNode expected = kase.path("expected");
    if (profile.equals("v3") && id.equals(SUPERSEDED_BY_KUMA3)) {
      // The spec predates Kuma 3.x's FindConflicts (conformance/kuma3): 3.x drops the later entry
      // with a warning instead of failing the proxy. Kuma's data wins.
      ObjectNode superseded = expected.deepCopy();
      superseded.put("outcome", "AllowMatchedOnly");
      superseded.remove("translationError");
      superseded
          .putArray("warnings")
          .add(
              "policy b-grpc: Kuma 3.x drops appendMatch[0] (Domain api.example.com:8080/grpc):"
                  + " protocols http and grpc produce the same filter chain for domains on port"
                  + " 8080");
      expected = superseded;
    }
    boolean translationError = expected.path("outcome").asText().equals("TranslationError");
    assertThat(run.exitCode())
        .as(run.err())
        .isEqualTo(translationError ? ExitCode.INVALID : ExitCode.OK);
    JsonNode actual = JSON.readTree(run.out());
    List<String> applied = new ArrayList<>();
    actual.path("applied").forEach(a -> applied.add(a.path("name").asText()));
    assertThat((JsonNode) YAML.valueToTree(applied))
        .as("applied")
        .isEqualTo(expected.path("applied"));
    assertThat(withoutAttribution(actual.path("merged")))
        .as("merged")
        .isEqualTo(expected.path("merged"));
    assertThat(actual.path("effective")).as("effective").isEqualTo(expected.path("effective"));
    assertThat(actual.path("outcome").asText())
        .as(actual.path("reason").asText())
        .isEqualTo(expected.path("outcome").asText());
    if (translationError) {
      assertThat(actual.path("problems").get(0).path("message").asText())
          .contains(expected.path("translationError").asText());
      assertThat(run.err()).contains(": error: " + expected.path("translationError").asText());
    }
    // The spec's cases list Kuma's warnings; ours carry a rule id and are tested in
    // ResolveCommandTest.
    ArrayNode kumas = JSON.createArrayNode();
    actual
        .path("warnings")
        .forEach(
            w -> {
              if (!w.asText().endsWith("[resolve.mode.name-order]")) {
                kumas.add(w);
              }
            });
    assertThat((JsonNode) kumas)
        .as("warnings")
        .isEqualTo(expected.has("warnings") ? expected.path("warnings") : JSON.createArrayNode());
  }

  /** The merged conf without the policy and index each entry carries in the output. */
  private static JsonNode withoutAttribution(JsonNode merged) {
    JsonNode copy = merged.deepCopy();
    copy.path("appendMatch")
        .forEach(entry -> ((ObjectNode) entry).remove(List.of("policy", "index")));
    return copy;
  }

  /** A case's proxy and context as a proxy file. */
  private static String proxyFile(JsonNode kase) throws IOException {
    JsonNode proxy = kase.path("proxy");
    ObjectNode root = YAML.createObjectNode();
    ObjectNode dataplane = root.putObject("dataplane");
    for (String field :
        List.of("name", "mesh", "labels", "inbounds", "gateway", "gatewayTags", "listeners")) {
      if (proxy.has(field)) {
        dataplane.set(field, proxy.get(field));
      }
    }
    dataplane.put("transparentProxy", proxy.path("transparentProxy").asBoolean());
    if (proxy.path("bindOutbounds").asBoolean()) {
      root.putObject("proxy").putArray("features").add("feature-bind-outbounds");
    }
    root.set("context", kase.path("context"));
    return YAML.writeValueAsString(root);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
