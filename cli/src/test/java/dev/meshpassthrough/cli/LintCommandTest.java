package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lint}, offline: resources documents and config dumps, one line per problem, exit 0, 1 or
 * 2.
 */
class LintCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLE = Path.of("../examples/allow-some-destinations.yaml");
  private static final Path CONFIG_DUMP =
      Path.of("src/test/resources/dev/meshpassthrough/cli/lint/kuma-sidecar-config-dump.json");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"json", "yaml"})
  void translateOutput_isClean(String format) throws IOException {
    CliRun translated = CliRun.of("translate", "--output", format, EXAMPLE.toString());
    Path file = write("out." + format, translated.out());

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .isEqualTo(
            "1 file (2 listeners, 5 clusters): 1 clean, 0 with problems; 0 errors, 0 warnings\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void twoChainsWithTheSameMatch_areOneProblemLine_andExitOne() throws IOException {
    Path file = write("dup.json", duplicatedChain());

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out().lines().toList()).hasSize(2);
    assertThat(run.out().lines().findFirst().orElseThrow())
        .startsWith(
            file
                + ":4:18: error: Listener self_transparentproxy_passthrough_outbound_ipv4 filterChains[5].filterChainMatch: ")
        .contains("has the same matching rules defined as")
        .endsWith(" [listener.chain.same-match]");
    assertThat(run.out())
        .endsWith(
            "1 file (2 listeners, 5 clusters): 0 clean, 1 with problems; 1 error, 0 warnings\n");
  }

  @Test
  void json_hasTheDocumentedShape() throws IOException {
    Path dup = write("dup.json", duplicatedChain());
    Path garbage = write("garbage.json", "{\"resources\": [");

    CliRun run = CliRun.of("lint", "--output", "json", dup.toString(), garbage.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    JsonNode tree = JSON.readTree(run.out());
    assertThat(tree.get("envoy").asText()).isEqualTo("simulated");
    assertThat(tree.get("realEnvoyVersion").isNull()).isTrue();
    JsonNode first = tree.at("/files/0");
    assertThat(first.get("file").asText()).isEqualTo(dup.toString());
    assertThat(first.get("kind").asText()).isEqualTo("resources");
    assertThat(first.get("listeners").asInt()).isEqualTo(2);
    assertThat(first.at("/problems/0/rule").asText()).isEqualTo("listener.chain.same-match");
    assertThat(first.at("/problems/0/severity").asText()).isEqualTo("error");
    assertThat(first.at("/problems/0/resource").asText())
        .isEqualTo("Listener self_transparentproxy_passthrough_outbound_ipv4");
    assertThat(first.at("/problems/0/path").asText()).isEqualTo("filterChains[5].filterChainMatch");
    assertThat(first.at("/problems/0/line").asInt()).isEqualTo(4);
    assertThat(first.get("error").isNull()).isTrue();
    assertThat(tree.at("/files/1/error").asText()).startsWith(garbage + ":1:");
    assertThat(tree.at("/summary/withProblems").asInt()).isEqualTo(1);
    assertThat(tree.at("/summary/unreadable").asInt()).isEqualTo(1);
  }

  @Test
  void aKumaSidecarConfigDump_isRead_withExtensionsTheTranslatorDoesNotWrite() {
    CliRun run = CliRun.of("lint", CONFIG_DUMP.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .isEqualTo(
            "1 file (1 listener, 2 clusters): 1 clean, 0 with problems; 0 errors, 0 warnings\n");
  }

  @Test
  void aConfigDump_checksWarmingListeners_andReportsFailedUpdates() throws IOException {
    String dump = Files.readString(CONFIG_DUMP, StandardCharsets.UTF_8);
    ObjectNode root = (ObjectNode) JSON.readTree(dump);
    ObjectNode dynamic = (ObjectNode) root.at("/configs/2/dynamic_listeners/0");
    ObjectNode warming = dynamic.putObject("warming_state");
    ObjectNode listener = dynamic.get("active_state").get("listener").deepCopy();
    ArrayNode chains = (ArrayNode) listener.get("filter_chains");
    chains.add(chains.get(0).deepCopy());
    warming.set("listener", listener);
    dynamic
        .putObject("error_state")
        .put("details", "error adding listener '0.0.0.0:15001': no filter chains specified");
    Path file = write("dump.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out())
        .contains(
            ": error: Listener outbound:passthrough:ipv4: Envoy rejected an update: error adding listener '0.0.0.0:15001': "
                + "no filter chains specified [envoy.error-state]")
        .contains("error: Listener outbound:passthrough:ipv4 filterChains[1].filterChainMatch: ")
        .contains("[listener.chain.same-match]")
        .endsWith(
            "1 file (2 listeners, 2 clusters): 0 clean, 1 with problems; 2 errors, 0 warnings\n");
  }

  @Test
  void
      aSingleDynamicListenerEntry_asConfigDumpResourcePrintsIt_isRead_withoutCheckingClusterReferences()
          throws IOException {
    JsonNode dump = JSON.readTree(Files.readString(CONFIG_DUMP, StandardCharsets.UTF_8));
    ObjectNode entry = dump.at("/configs/2/dynamic_listeners/0").deepCopy();
    ObjectNode single = JSON.createObjectNode();
    ObjectNode config = single.putArray("configs").addObject();
    config.put("@type", "type.googleapis.com/envoy.admin.v3.ListenersConfigDump.DynamicListener");
    config.setAll(entry);
    Path file = write("single.json", single.toString());

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .isEqualTo(
            "1 file (1 listener, 0 clusters): 1 clean, 0 with problems; 0 errors, 0 warnings\n");
    assertThat(run.err())
        .isEqualTo(
            file
                + ": note: the config dump holds no clusters (no ClustersConfigDump): references to "
                + "clusters are not checked\n");
  }

  @Test
  void aDynamicListener_namedOtherwiseThanItsEntry_isUnreadable() throws IOException {
    ObjectNode root =
        (ObjectNode) JSON.readTree(Files.readString(CONFIG_DUMP, StandardCharsets.UTF_8));
    ((ObjectNode) root.at("/configs/2/dynamic_listeners/0/active_state/listener"))
        .put("name", "renamed");
    Path file =
        write("renamed.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains(
            "configs[2].dynamic_listeners[0].active_state.listener.name: is 'renamed', but its "
                + "dynamic_listeners entry is named 'outbound:passthrough:ipv4'");
  }

  @Test
  void aTrap_isAWarning_andStillExitsOne() throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(CliRun.of("translate", EXAMPLE.toString()).out());
    ArrayNode resources = (ArrayNode) tree.get("resources");
    for (int i = resources.size() - 1; i >= 0; i--) {
      if (resources.get(i).at("/resource/@type").asText().endsWith("Cluster")
          && resources.get(i).get("name").asText().startsWith("meshpassthrough_tcp_")) {
        resources.remove(i);
      }
    }
    Path file = write("missing.json", tree.toPrettyString());

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out())
        .contains(": warning: Listener ")
        .contains("which does not exist: connections close [trap.missing-cluster]")
        .contains("0 errors, ");
  }

  @Test
  void garbage_isUnreadable_withFileAndLine_andNoStackTrace() throws IOException {
    Path json = write("bad.json", "{\"resources\": [\n  {\"name\": 1,,}\n]}");
    Path yaml = write("bad.yaml", "resources: [1, 2\n");
    Path binary = dir.resolve("bytes.json");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});

    CliRun run = CliRun.of("lint", json.toString(), yaml.toString(), binary.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains(json + ":2:")
        .contains(yaml + ":")
        .contains(binary + ": cannot read: not UTF-8 text")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(run.out())
        .endsWith(
            "3 files (0 listeners, 0 clusters): 0 clean, 0 with problems, 3 unreadable; 0 errors, 0 warnings\n");
  }

  @Test
  void aPolicy_isNeitherAResourcesDocumentNorAConfigDump() {
    CliRun run = CliRun.of("lint", EXAMPLE.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains("neither a resources document")
        .contains("[apiVersion, kind, metadata, spec]");
  }

  @Test
  void anUnknownType_isUnreadable_naming_itsPlace() throws IOException {
    String text =
        Files.readString(CONFIG_DUMP, StandardCharsets.UTF_8)
            .replace(
                "envoy.extensions.filters.network.rbac.v3.RBAC",
                "envoy.extensions.filters.network.nosuch.v3.Filter");
    Path file = write("unknown.json", text);

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains(file + ":67:28: ")
        .contains(
            "configs[2].dynamic_listeners[0].active_state.listener.filter_chains[0].filters[0].typed_config.@type: "
                + "unknown @type 'type.googleapis.com/envoy.extensions.filters.network.nosuch.v3.Filter'");
  }

  @Test
  void anUnknownField_isUnreadable() throws IOException {
    Path file =
        write(
            "field.json",
            """
        {"resources": [{"name": "c", "resource": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
          "name": "c", "conect_timeout": "1s"}}]}
        """);

    CliRun run = CliRun.of("lint", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains(file + ":1:42: resources[0].resource: not a valid Cluster: ")
        .contains("conect_timeout");
  }

  @Test
  void standardInput_isRead() throws IOException {
    CliRun translated = CliRun.of("translate", EXAMPLE.toString());

    CliRun run = CliRun.withStdin(translated.out(), "lint", "-");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void anInputOverTheSizeLimit_isUnreadable_notReadWhole() throws IOException {
    Path huge = dir.resolve("huge.json");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(LintCommand.MAX_INPUT_BYTES + 1L);
    }

    CliRun run = CliRun.of("lint", huge.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains("larger than the limit of " + LintCommand.MAX_INPUT_BYTES + " bytes")
        .doesNotContain("Exception");
  }

  @Test
  void envoyBoth_andYamlOutput_areMisuse() throws IOException {
    Path file = write("out.json", CliRun.of("translate", EXAMPLE.toString()).out());

    assertThat(CliRun.of("lint", "--envoy", "both", file.toString()).exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
    assertThat(CliRun.of("lint", "--output", "yaml", file.toString()).err())
        .contains("--output must be text or json for lint");
  }

  @Test
  void help_describesTheLineShape() {
    CliRun run = CliRun.of("lint", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("One line per problem: FILE:LINE:COLUMN: SEVERITY: RESOURCE PATH: MESSAGE")
        .contains("--envoy=ENVOY");
  }

  private String duplicatedChain() throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(CliRun.of("translate", EXAMPLE.toString()).out());
    ArrayNode chains = (ArrayNode) tree.at("/resources/0/resource/filterChains");
    ObjectNode copy = chains.get(0).deepCopy();
    copy.put("name", copy.get("name").asText() + "_copy");
    chains.add(copy);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
