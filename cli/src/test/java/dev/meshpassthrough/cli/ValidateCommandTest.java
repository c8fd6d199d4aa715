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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidateCommandTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The validator corpus, copied once into the validation module's test resources. */
  private static final Path CORPUS =
      Path.of("../validation/src/test/resources/conformance/kuma/validate");

  private static final Path EXAMPLES = Path.of("../examples");

  @TempDir Path dir;

  static Stream<String> corpusCases() {
    return Stream.of("valid", "full-invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusCases")
  void kumaCorpus_comesOutExactlyAsKumasYaml_withErrorsOnly(String name) throws IOException {
    CliRun run =
        CliRun.of(
            "validate",
            "--output",
            "yaml",
            "--errors-only",
            CORPUS.resolve(name + ".input.yaml").toString());

    JsonNode expected = YAML.readTree(CORPUS.resolve(name + ".violations.yaml").toFile());
    assertThat(YAML.readTree(run.out())).isEqualTo(expected);
    assertThat(run.exitCode()).isEqualTo(expected.get("violations").isEmpty() ? 0 : 1);
    assertThat(run.err()).isEmpty();
  }

  /** The Kuma 3.x line's validator cases, with --kuma-version 3. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"domain-without-port", "full-invalid"})
  void kuma3Corpus_comesOutExactlyAsKumasYaml_withErrorsOnly(String name) throws IOException {
    Path corpus = Path.of("../validation/src/test/resources/conformance/kuma3/validate");
    CliRun run =
        CliRun.of(
            "validate",
            "--kuma-version",
            "3",
            "--output",
            "yaml",
            "--errors-only",
            corpus.resolve(name + ".input.yaml").toString());

    JsonNode expected = YAML.readTree(corpus.resolve(name + ".violations.yaml").toFile());
    assertThat(YAML.readTree(run.out())).isEqualTo(expected);
    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void kumaCorpus_byDefault_addsOurWarningsMarkedWithSeverity() throws IOException {
    JsonNode valid =
        YAML.readTree(
            CliRun.of("validate", "--output", "yaml", CORPUS.resolve("valid.input.yaml").toString())
                .out());
    assertThat(valid.get("violations")).hasSize(1);
    assertThat(valid.get("violations").get(0).get("field").asText())
        .isEqualTo("spec.default.appendMatch[2].value");
    assertThat(valid.get("violations").get(0).get("severity").asText()).isEqualTo("warning");
    assertThat(valid.get("violations").get(0).get("message").asText()).contains("1.2.3.0/24");

    JsonNode invalid =
        YAML.readTree(
            CliRun.of(
                    "validate",
                    "--output",
                    "yaml",
                    CORPUS.resolve("full-invalid.input.yaml").toString())
                .out());
    List<JsonNode> errors = new ArrayList<>();
    invalid
        .get("violations")
        .forEach(
            v -> {
              if (!v.has("severity")) {
                errors.add(v);
              }
            });
    List<JsonNode> expected = new ArrayList<>();
    YAML.readTree(CORPUS.resolve("full-invalid.violations.yaml").toFile())
        .get("violations")
        .forEach(expected::add);
    assertThat(errors).containsExactlyElementsOf(expected);
  }

  @Test
  void jsonOutput_isTheSameTree() throws IOException {
    Path input = CORPUS.resolve("full-invalid.input.yaml");
    JsonNode yaml =
        YAML.readTree(CliRun.of("validate", "--output", "yaml", input.toString()).out());
    JsonNode json =
        JSON.readTree(CliRun.of("validate", "--output", "json", input.toString()).out());
    assertThat(json).isEqualTo(yaml);
  }

  @Test
  void everyExample_isValid() throws IOException {
    // The policies at the top of examples/ (examples/serve/ holds an Envoy bootstrap beside its own
    // policies, so the directory as a whole is not a policy directory).
    List<String> args = new ArrayList<>(List.of("validate"));
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      files
          .filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("proxy.yaml"))
          .sorted()
          .forEach(p -> args.add(p.toString()));
    }
    assertThat(args).hasSizeGreaterThanOrEqualTo(4);
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("3 policies: 3 valid, 0 invalid; 0 errors, 1 warning");
    assertThat(run.out()).contains("allow-all.yaml").contains("conf.mode.all");

    CliRun serve = CliRun.of("validate", EXAMPLES.resolve("serve").resolve("policies").toString());
    assertThat(serve.exitCode()).as(serve.out() + serve.err()).isZero();
    assertThat(serve.out()).contains("2 policies: 2 valid, 0 invalid; 0 errors");
  }

  @Test
  void textOutput_pointsAtTheLineOfTheField() throws IOException {
    Path file = dir.resolve("p.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "type: MeshPassthrough",
            "name: p",
            "spec:",
            "  default:",
            "    appendMatch:",
            "    - type: IP",
            "      value: 10.0.0.1",
            "      port: 0",
            ""));
    CliRun run = CliRun.of("validate", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains(file + ":8:")
        .contains(
            "error: spec.default.appendMatch[0].port: port must be a valid (1-65535) [kuma.match.port.range]");
  }

  @Test
  void standardInput_isReadForADash() {
    CliRun run =
        CliRun.withStdin(
            "type: MeshPassthrough\nname: p\nspec:\n  default:\n    passthroughMode: None\n",
            "validate",
            "-");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("1 policy: 1 valid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{{{{ not yaml", "- just\n- a list\n", "\u0000\u0001", "kind: Foo\n"})
  void unreadableInput_exitsTwoWithAClearLineAndNoStackTrace(String text) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, text);
    CliRun run = CliRun.of("validate", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("bad.yaml").doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void missingFile_exitsTwo() {
    CliRun run = CliRun.of("validate", dir.resolve("nope.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.yaml");
  }

  @Test
  void usageErrors_exitTwo() {
    assertThat(CliRun.of("validate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("validate", "--output", "xml", "x").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("validate", "--kuma-version", "4", "x").err())
        .contains("unknown Kuma version '4'");
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
  }

  @Test
  void help_describesTheCommandsAndExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("validate");
    assertThat(CliRun.of("validate", "--help").out())
        .contains("Exit status", "--kuma-version", "--output");
  }

  @Test
  void kumaVersion3_rejectsRemovedTargetRefFields() throws IOException {
    Path file = dir.resolve("v3.yaml");
    Files.writeString(
        file, "targetRef:\n  kind: Dataplane\n  name: web\ndefault:\n  passthroughMode: None\n");
    assertThat(CliRun.of("validate", file.toString()).exitCode()).isZero();
    CliRun v3 = CliRun.of("validate", "--kuma-version", "3", file.toString());
    assertThat(v3.exitCode()).isEqualTo(1);
    assertThat(v3.out()).contains("spec.targetRef.name").contains("target-ref.field.removed-in-v3");
  }
}
