package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input of {@code hostile/cases.yaml} through the command line, in this JVM: {@code validate}
 * exits as the manifest says and prints the expected line, {@code translate} ends in one of its
 * documented exit codes, both print one clear line per problem and no stack trace, within a
 * generous time that only a hang exceeds.
 */
class HostileCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path scratch;

  static List<HostileCase> cases() {
    return HostileCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validate_exitsAsExpectedAndPrintsTheExpectedLine(HostileCase hostile) {
    String input = hostile.materialize(scratch).toString();

    CliOutcome run =
        assertTimeoutPreemptively(
            HostileCorpusTest.HANG, () -> CliOutcome.inProcess("validate", input));

    assertThat(run.exitCode())
        .as("exit code; stderr: %s", abbreviated(run.err()))
        .isEqualTo(hostile.exit());
    String stream = hostile.exit() == 2 ? run.err() : run.out();
    assertThat(stream.lines())
        .as("the %s", hostile.exit() == 2 ? "standard error" : "standard output")
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(hostile.outcome().equals("accepted") ? "" : input)
                    .contains(hostile.expect()));
    if (hostile.knownIssue() == null) {
      run.assertOneLinePerProblem(true);
    }
  }

  /**
   * Every case but the two of 100,000 entries: translate reads and validates them exactly as
   * validate does before it stops, so they would cost seconds and test nothing new.
   */
  static List<HostileCase> casesForTranslate() {
    return HostileCase.all().stream()
        .filter(c -> !c.id().startsWith("append-match-100000"))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesForTranslate")
  void translate_endsInADocumentedExitCodeWithoutAStackTrace(HostileCase hostile) throws Exception {
    String input = hostile.materialize(scratch).toString();

    CliOutcome run =
        assertTimeoutPreemptively(
            HostileCorpusTest.HANG, () -> CliOutcome.inProcess("translate", input));

    assertThat(run.exitCode()).as("exit code; stderr: %s", abbreviated(run.err())).isBetween(0, 2);
    if (hostile.exit() == 2) {
      assertThat(run.exitCode())
          .as("an input validate cannot read, translate cannot either")
          .isEqualTo(2);
    }
    if (run.exitCode() == 0) {
      assertThat(JSON.readTree(run.out()).path("resources").isArray())
          .as("stdout is the resources document")
          .isTrue();
    } else {
      assertThat(run.out()).as("nothing on stdout after a failure").isEmpty();
    }
    if (hostile.knownIssue() == null) {
      run.assertOneLinePerProblem(false);
    }
  }

  @Test
  void fiftyMegabytesOnStandardInput_areCutAtTheLimit() {
    InputStream endless =
        new InputStream() {
          private long left = HostileInputs.FIFTY_MB;

          @Override
          public int read() {
            return left-- > 0 ? 'x' : -1;
          }
        };

    CliOutcome run =
        assertTimeoutPreemptively(
            HostileCorpusTest.HANG, () -> CliOutcome.inProcess(endless, "validate", "-"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("<stdin>:1:1: input is larger than the limit maxInputBytes=16777216 bytes\n");
    run.assertOneLinePerProblem(true);
  }

  @Test
  void debugFlag_addsNothingWhenNothingFailedInside() {
    HostileCase alias =
        HostileCase.all().stream()
            .filter(c -> c.id().equals("alias-bomb"))
            .findFirst()
            .orElseThrow();
    String input = alias.materialize(scratch).toString();

    CliOutcome plain = CliOutcome.inProcess("validate", input);
    CliOutcome debug = CliOutcome.inProcess("validate", "--debug", input);

    assertThat(debug).isEqualTo(plain);
  }

  private static String abbreviated(String text) {
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }
}
