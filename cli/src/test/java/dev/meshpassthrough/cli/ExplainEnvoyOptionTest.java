package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --envoy} without a real Envoy: the simulated default is unchanged, and {@code real} or
 * {@code both} without a binary is exit 2 with a message that says how to get one.
 */
class ExplainEnvoyOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: api
      spec:
        targetRef: {kind: Mesh}
        default:
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
      """;

  @TempDir Path dir;

  @Test
  void simulated_isTheDefault_andItsOutputHasNoRealEnvoy() throws IOException {
    Path policy = write("policy.yaml", POLICY);

    CliRun byDefault =
        CliRun.of("explain", policy.toString(), "--to", "api.example.com:443", "--protocol", "tls");
    CliRun simulated =
        CliRun.of(
            "explain",
            "--envoy",
            "simulated",
            policy.toString(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls");
    CliRun json =
        CliRun.of(
            "explain",
            policy.toString(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--output",
            "json");

    assertThat(byDefault.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(simulated.out()).isEqualTo(byDefault.out());
    assertThat(byDefault.out()).doesNotContain("Real Envoy");
    JsonNode tree = JSON.readTree(json.out());
    assertThat(tree.has("realEnvoy")).isFalse();
    assertThat(tree.has("disagreements")).isFalse();
    assertThat(tree.get("envoy").get("decision").asText()).isEqualTo("ALLOW");
  }

  @Test
  void realOrBoth_withoutAnEnvoy_exitTwo_namingEnvoyBinAndTheInstallScript() throws IOException {
    Path policy = write("policy.yaml", POLICY);
    Path missing = dir.resolve("no-such-envoy");

    for (String mode : new String[] {"real", "both"}) {
      CliRun run =
          withEnvoyAt(
              missing,
              () ->
                  CliRun.of(
                      "explain",
                      "--envoy",
                      mode,
                      policy.toString(),
                      "--to",
                      "api.example.com:443"));

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.UNREADABLE);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .contains("--envoy " + mode + " needs an Envoy binary")
          .contains(missing.toString())
          .contains("ENVOY_BIN")
          .contains("scripts/install-envoy")
          .doesNotContain("Exception");
    }
  }

  @Test
  void lintReal_withoutAnEnvoy_exitsTwo() throws IOException {
    Path resources =
        write("out.json", CliRun.of("translate", "../examples/allow-some-destinations.yaml").out());

    CliRun run =
        withEnvoyAt(
            dir.resolve("no-such-envoy"),
            () -> CliRun.of("lint", "--envoy", "real", resources.toString()));

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("ENVOY_BIN").contains("scripts/install-envoy");
  }

  @Test
  void anUnknownEnvoyMode_isMisuse() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--envoy",
            "docker",
            write("policy.yaml", POLICY).toString(),
            "--to",
            "api.example.com:443");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err()).contains("--envoy");
  }

  /**
   * Runs {@code run} with {@code -Dmeshpassthrough.envoy} naming {@code binary}, then restores the
   * property.
   */
  static CliRun withEnvoyAt(Path binary, Supplier<CliRun> run) {
    String before = System.getProperty(EnvoyBinary.PROPERTY);
    System.setProperty(EnvoyBinary.PROPERTY, binary.toString());
    try {
      return run.get();
    } finally {
      if (before == null) {
        System.clearProperty(EnvoyBinary.PROPERTY);
      } else {
        System.setProperty(EnvoyBinary.PROPERTY, before);
      }
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
