package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixed manifests: a ConfigMap beside the policy is skipped with a note when reading a directory or
 * a multi-document file, and {@code --strict-kinds} makes it an error; {@code --fail-on} picks what
 * fails {@code validate}.
 */
class MixedManifestTest {
  private static final String POLICY =
      "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata: {name: p, namespace: kuma-system}\n"
          + "spec:\n  targetRef: {kind: Mesh}\n  default: {passthroughMode: None}\n";
  private static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";
  private static final String WARNING =
      "type: MeshPassthrough\nname: w\nspec:\n  default:\n    passthroughMode: Matched\n"
          + "    appendMatch:\n    - {type: CIDR, value: 1.2.3.4/24}\n";

  @TempDir Path dir;

  @Test
  void validate_skipsTheConfigMapWithANote() throws IOException {
    Path file = Files.writeString(dir.resolve("mixed.yaml"), POLICY + "---\n" + CONFIG_MAP);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .isEqualTo(file + ":9:7: note: skipped: kind ConfigMap is not MeshPassthrough\n");
    assertThat(run.out()).isEqualTo("1 policy: 1 valid, 0 invalid; 0 errors, 0 warnings\n");
  }

  @Test
  void validate_withStrictKinds_makesTheConfigMapAParseProblem_countedInTheSummary()
      throws IOException {
    Path file = Files.writeString(dir.resolve("mixed.yaml"), POLICY + "---\n" + CONFIG_MAP);

    CliRun run = CliRun.of("validate", "--strict-kinds", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(file + ":9:7: kind: unsupported kind ConfigMap: only MeshPassthrough is read");
    assertThat(run.out())
        .isEqualTo("1 policy: 1 valid, 0 invalid; 0 errors, 0 warnings; 1 parse problem\n");
  }

  @Test
  void directoryWalk_skipsAFileHoldingOnlyAConfigMap() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), POLICY);
    Files.writeString(dir.resolve("b.yaml"), CONFIG_MAP);

    assertThat(CliRun.of("validate", dir.toString()).exitCode()).isZero();
    assertThat(CliRun.of("validate", "--strict-kinds", dir.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void aFileHoldingOnlyAConfigMap_namedDirectly_isStillUnreadable() throws IOException {
    Path file = Files.writeString(dir.resolve("cm.yaml"), CONFIG_MAP);

    assertThat(CliRun.of("validate", file.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void translateResolveAndExplain_skipTheConfigMapToo_unlessStrictKinds() throws IOException {
    Path file = Files.writeString(dir.resolve("mixed.yaml"), POLICY + "---\n" + CONFIG_MAP);
    Path proxy =
        Files.writeString(dir.resolve("proxy.yaml"), "dataplane: {name: web, mesh: default}\n");

    CliRun translate = CliRun.of("translate", file.toString());
    assertThat(translate.exitCode()).as(translate.err()).isZero();
    assertThat(translate.err()).contains("note: skipped: kind ConfigMap is not MeshPassthrough");
    assertThat(CliRun.of("translate", "--strict-kinds", file.toString()).exitCode()).isEqualTo(2);

    CliRun resolve = CliRun.of("resolve", "--proxy", proxy.toString(), file.toString());
    assertThat(resolve.exitCode()).as(resolve.err()).isZero();
    assertThat(
            CliRun.of("resolve", "--proxy", proxy.toString(), "--strict-kinds", file.toString())
                .exitCode())
        .isEqualTo(2);

    assertThat(CliRun.of("explain", "--to", "example.com:443", file.toString()).exitCode())
        .isNotEqualTo(2);
    assertThat(
            CliRun.of("explain", "--to", "example.com:443", "--strict-kinds", file.toString())
                .exitCode())
        .isEqualTo(2);
  }

  @Test
  void failOnWarning_failsARunWithWarningsOnly() throws IOException {
    Path file = Files.writeString(dir.resolve("w.yaml"), WARNING);

    assertThat(CliRun.of("validate", file.toString()).exitCode()).isZero();
    assertThat(CliRun.of("validate", "--fail-on", "error", file.toString()).exitCode()).isZero();
    assertThat(CliRun.of("validate", "--fail-on", "warning", file.toString()).exitCode())
        .isEqualTo(1);
    assertThat(
            CliRun.of("validate", "--fail-on", "warning", "--output", "sarif", file.toString())
                .exitCode())
        .isEqualTo(1);
  }

  @Test
  void failOnWarning_passesACleanRun_andRefusesErrorsOnly() throws IOException {
    Path file = Files.writeString(dir.resolve("p.yaml"), POLICY);

    assertThat(CliRun.of("validate", "--fail-on", "warning", file.toString()).exitCode()).isZero();
    CliRun both = CliRun.of("validate", "--fail-on", "warning", "--errors-only", file.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("cannot be combined");
    assertThat(CliRun.of("validate", "--fail-on", "warn", file.toString()).exitCode()).isEqualTo(2);
  }
}
