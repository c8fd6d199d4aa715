package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --envoy real|both} and {@code lint --envoy real} against a real Envoy. Each run
 * starts its own Envoy on loopback and stops it; the binary is the one {@code EnvoyBinary} finds,
 * installed by {@code scripts/install-envoy} when there is none. Without an Envoy these tests fail;
 * only {@code -DskipRealEnvoy=true} skips them, with a loud warning, as the testkit's real-Envoy
 * suite does.
 */
@Tag("real-envoy")
class RealEnvoyCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path envoy;

  @TempDir Path dir;

  @BeforeAll
  static void findEnvoy() {
    if (Boolean.getBoolean("skipRealEnvoy")) {
      System.err.println(
          "WARNING: -DskipRealEnvoy=true: the CLI's real-Envoy tests (explain --envoy real|both, lint --envoy real) "
              + "do NOT run.");
      Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    envoy = EnvoyBinary.findOrInstall().path();
  }

  @Test
  void real_agreesWithTheIntent_underTheExactProfile() throws IOException {
    CliRun run =
        explain(
            "--envoy",
            "real",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .startsWith("connection: TLS (SNI api.example.com) to 10.1.2.3:443\nintent:     ALLOW  ")
        .contains("Real Envoy: Envoy ")
        .contains("  envoy:    ALLOW  ")
        .contains("chain meshpassthrough_443_10.0.0.0/8_any")
        .contains("  result:   AGREE\n")
        .doesNotContain("trace:");
  }

  @Test
  void both_underTheKumaProfile_exitsThree_andNamesTheKnownLimitation() throws IOException {
    CliRun run =
        explain(
            "--envoy",
            "both",
            "--profile",
            "kuma",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.DISAGREE);
    assertThat(run.out())
        .contains("envoy:      DENY   closed: no filter chain matches")
        .contains("trace:")
        .contains("Real Envoy: Envoy ")
        .contains("  envoy:    DENY   ")
        .contains(
            "DISAGREE: the real Envoy says DENY, the intent ALLOW; the simulated Envoy says DENY, the intent ALLOW")
        .contains("(known Kuma limitation port-ip-sni-pitfall:");
  }

  @Test
  void bothAsJson_hasRealEnvoyWithTheFieldsOfEnvoy_andAgrees() throws IOException {
    CliRun run =
        explain(
            "--envoy",
            "both",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--output",
            "json");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    JsonNode tree = JSON.readTree(run.out());
    JsonNode simulated = tree.get("envoy");
    JsonNode real = tree.get("realEnvoy");
    assertThat(real.fieldNames())
        .toIterable()
        .containsExactlyElementsOf(() -> simulated.fieldNames());
    for (String field :
        new String[] {"decision", "outcome", "listener", "chain", "cluster", "clusterType"}) {
      assertThat(real.get(field)).as(field).isEqualTo(simulated.get(field));
    }
    assertThat(tree.get("realEnvoyVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(tree.get("disagreements")).isEmpty();
    assertThat(tree.get("agree").asBoolean()).isTrue();
    assertThat(tree.get("trace")).isNotEmpty();
  }

  @Test
  void realAsYaml_hasNoSimulatedDecision_andNoTrace() throws IOException {
    CliRun run =
        explain(
            "--envoy",
            "real",
            policy(),
            "--to",
            "other.example.com:443",
            "--protocol",
            "tls",
            "--output",
            "yaml");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("envoy: null")
        .contains("realEnvoy:\n  decision: DENY")
        .contains("trace: []");
  }

  @Test
  void lintReal_isCleanForTranslateOutput_andReportsEnvoysRejection() throws IOException {
    String translated = CliRun.of("translate", "../examples/allow-some-destinations.yaml").out();
    Path clean = write("clean.json", translated);
    ObjectNode tree = (ObjectNode) JSON.readTree(translated);
    ArrayNode chains = (ArrayNode) tree.at("/resources/0/resource/filterChains");
    ObjectNode copy = chains.get(0).deepCopy();
    copy.put("name", copy.get("name").asText() + "_copy");
    chains.add(copy);
    Path dup = write("dup.json", tree.toPrettyString());

    CliRun run =
        ExplainEnvoyOptionTest.withEnvoyAt(
            envoy, () -> CliRun.of("lint", "--envoy", "real", clean.toString(), dup.toString()));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out())
        .contains(dup + ": error: Envoy: error adding listener '0.0.0.0:15001': filter chain '")
        .contains("has the same matching rules defined as")
        .contains("[envoy.rejected]")
        .contains("[listener.chain.same-match]")
        .doesNotContain(clean + ":")
        .doesNotContain("error initializing configuration")
        .endsWith(
            "2 files (4 listeners, 10 clusters, loaded into a real Envoy): 1 clean, 1 with problems; 2 errors, 0 warnings\n");
  }

  @Test
  void aRealEnvoysConfigDump_isRead() throws IOException {
    Path resources =
        write("out.json", CliRun.of("translate", "../examples/allow-some-destinations.yaml").out());
    JsonNode translated = JSON.readTree(Files.readString(resources, StandardCharsets.UTF_8));
    String dump;
    try (RealEnvoy real = RealEnvoy.start(EnvoyBinary.at(envoy))) {
      List<Listener> listeners = new ArrayList<>();
      List<Cluster> clusters = new ArrayList<>();
      JsonFormat.Parser parser =
          JsonFormat.parser()
              .usingTypeRegistry(
                  JsonFormat.TypeRegistry.newBuilder()
                      .add(EnvoyAcceptance.knownPackedTypes())
                      .build());
      for (JsonNode entry : translated.get("resources")) {
        ObjectNode resource = entry.get("resource").deepCopy();
        String type = resource.remove("@type").asText();
        if (type.endsWith("Listener")) {
          Listener.Builder builder = Listener.newBuilder();
          parser.merge(resource.toString(), builder);
          listeners.add(builder.build());
        } else {
          Cluster.Builder builder = Cluster.newBuilder();
          parser.merge(resource.toString(), builder);
          clusters.add(builder.build());
        }
      }
      assertThat(real.load(listeners, clusters).accepted()).isTrue();
      dump = real.admin("/config_dump");
    }
    Path file = write("dump.json", dump);

    CliRun run = CliRun.of("lint", "--output", "json", file.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.OK, ExitCode.INVALID);
    JsonNode tree = JSON.readTree(run.out());
    assertThat(tree.at("/files/0/kind").asText()).isEqualTo("config_dump");
    assertThat(tree.at("/files/0/listeners").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(tree.at("/files/0/clusters").asInt()).isGreaterThanOrEqualTo(5);
  }

  private static CliRun explain(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "explain";
    System.arraycopy(args, 0, all, 1, args.length);
    return ExplainEnvoyOptionTest.withEnvoyAt(envoy, () -> CliRun.of(all));
  }

  private String policy() throws IOException {
    return write("pitfall.yaml", ExplainCommandTest.PITFALL).toString();
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
