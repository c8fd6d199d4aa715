package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code lint} on broken resources documents and config dumps: exit 0, 1 or 2, never an internal
 * error.
 */
class LintHostileInputTest {
  private static final String DOCUMENT =
      CliRun.of("translate", "../examples/allow-some-destinations.yaml").out();
  private static final String DUMP =
      read(
          Path.of("src/test/resources/dev/meshpassthrough/cli/lint/kuma-sidecar-config-dump.json"));

  @Property(tries = 300, seed = "4242")
  void brokenInput_endsInADocumentedExitCode(@ForAll("broken") String text) {
    CliRun run = CliRun.withStdin(text, "lint", "-");

    assertThat(run.exitCode())
        .as(run.err())
        .isIn(ExitCode.OK, ExitCode.INVALID, ExitCode.UNREADABLE);
    assertThat(run.err()).doesNotContain("internal error").doesNotContain("\tat ");
    assertThat(run.out()).contains("1 file (");
  }

  /** A valid input cut short, with a span replaced by a fragment that breaks types or structure. */
  @Provide
  Arbitrary<String> broken() {
    Arbitrary<String> base = Arbitraries.of(DOCUMENT, DUMP);
    Arbitrary<String> fragment =
        Arbitraries.of(
            "",
            "null",
            "1",
            "-1",
            "\"x\"",
            "[]",
            "{}",
            "true",
            "\"@type\": \"x\"",
            ",",
            "}",
            "]",
            "\"type.googleapis.com/google.protobuf.Struct\"",
            "1e999",
            "\"\\u0000\"",
            "99999999999999999999");
    return Combinators.combine(
            base,
            Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(0, 40),
            fragment,
            Arbitraries.of(true, false))
        .as(
            (text, at, length, insert, truncate) -> {
              int start = (int) (at * text.length());
              String head = text.substring(0, start);
              return truncate
                  ? head
                  : head + insert + text.substring(Math.min(text.length(), start + length));
            });
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @org.junit.jupiter.api.Test
  void unknownYamlTag_isUnreadableAtItsLocation_standardTagsAreRead() {
    String yaml =
        "resources:\n- name: c\n  resource:\n    '@type': type.googleapis.com/envoy.config.cluster.v3.Cluster\n"
            + "    name: !cluster c\n    type: STATIC\n";

    CliRun tagged = CliRun.withStdin(yaml, "lint", "-");
    CliRun standard = CliRun.withStdin(yaml.replace("!cluster", "!!str"), "lint", "-");

    assertThat(tagged.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(tagged.err())
        .contains("<stdin>:5:11: resources[0].resource.name: YAML tag !cluster is not read here");
    assertThat(standard.err()).doesNotContain("YAML tag");
    assertThat(standard.exitCode()).as(standard.err()).isIn(ExitCode.OK, ExitCode.INVALID);
  }
}
