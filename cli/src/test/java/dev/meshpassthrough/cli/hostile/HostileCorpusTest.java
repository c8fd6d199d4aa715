package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input of {@code hostile/cases.yaml} through the library's whole pipeline: nothing but the
 * documented results comes out, and the expected problem, violation or acceptance does, in the
 * words and at the line the manifest gives.
 */
class HostileCorpusTest {
  /** Generous: only a hang trips it. The slowest case takes a few seconds. */
  static final Duration HANG = Duration.ofSeconds(60);

  private static final Pipeline PIPELINE = Pipeline.standard();

  @TempDir static Path scratch;

  static List<HostileCase> cases() {
    return HostileCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInput_givesItsExpectedOutcome(HostileCase hostile) {
    Path input = hostile.materialize(scratch);

    PipelineRun run = assertTimeoutPreemptively(HANG, () -> PIPELINE.run(input));

    List<String> parse = linesStartingWith(run, "parse: ");
    List<String> validate = linesStartingWith(run, "validate: ");
    switch (hostile.outcome()) {
      case "problem" ->
          assertThat(parse).anySatisfy(line -> assertThat(line).contains(hostile.expect()));
      case "error" -> {
        assertThat(parse).isEmpty();
        assertThat(validate)
            .anySatisfy(line -> assertThat(line).contains(hostile.expect()).contains(": error: "));
      }
      case "warning" -> {
        assertThat(parse).isEmpty();
        assertThat(validate)
            .allSatisfy(line -> assertThat(line).contains(": warning: "))
            .anySatisfy(line -> assertThat(line).contains(hostile.expect()));
        assertThat(run.policies).isNotEmpty();
      }
      case "accepted" -> {
        assertThat(parse).isEmpty();
        assertThat(validate).isEmpty();
        assertThat(run.policies).isNotEmpty();
      }
      default ->
          throw new IllegalStateException(
              "unknown outcome " + hostile.outcome() + " of " + hostile.id());
    }
  }

  @Test
  void corpus_holdsAtLeastSixtyCasesWithUniqueIds() {
    List<HostileCase> all = HostileCase.all();

    assertThat(all).hasSizeGreaterThanOrEqualTo(60);
    Set<String> ids = new HashSet<>();
    assertThat(all)
        .allSatisfy(c -> assertThat(ids.add(c.id())).as("unique id %s", c.id()).isTrue());
  }

  @Test
  void everyCase_namesOneInputAnExitCodeMatchingItsOutcomeAndALocation() {
    Map<String, Integer> exitOf = Map.of("accepted", 0, "warning", 0, "error", 1, "problem", 2);

    assertThat(HostileCase.all())
        .allSatisfy(
            c -> {
              assertThat(c.file() == null)
                  .as("%s: exactly one of file and generate", c)
                  .isNotEqualTo(c.generate() == null);
              if (c.file() != null) {
                assertThat(HostileCase.class.getResource("/hostile/" + c.file()))
                    .as("%s: file %s", c, c.file())
                    .isNotNull();
              } else {
                assertThat(HostileInputs.exists(c.generate()))
                    .as("%s: generator %s", c, c.generate())
                    .isTrue();
              }
              assertThat(exitOf).as("%s: outcome", c).containsEntry(c.outcome(), c.exit());
              if (!c.outcome().equals("accepted")) {
                // A clear error cites where: a line and column, or at least the field path.
                assertThat(c.expect())
                    .as("%s: expect cites a line or a path", c)
                    .containsPattern("\\d+:\\d+: |spec\\.|: ");
              }
            });
  }

  @Test
  void everyCommittedHostileInput_isACaseOfTheManifest() throws Exception {
    Path root = Path.of(HostileCase.class.getResource("/hostile/cases.yaml").toURI()).getParent();
    Set<String> listed =
        HostileCase.all().stream()
            .map(HostileCase::file)
            .filter(f -> f != null)
            .collect(Collectors.toSet());

    try (var files = Files.walk(root)) {
      List<String> committed =
          files
              .filter(Files::isRegularFile)
              .map(f -> root.relativize(f).toString().replace('\\', '/'))
              .filter(
                  f ->
                      !f.equals("cases.yaml")
                          && !f.equals(".gitattributes")
                          && !f.startsWith("valid/")
                          && !f.startsWith("proxies/"))
              .toList();
      assertThat(listed).containsAll(committed);
    }
  }

  private static List<String> linesStartingWith(PipelineRun run, String prefix) {
    return run.lines().stream().filter(line -> line.startsWith(prefix)).toList();
  }
}
