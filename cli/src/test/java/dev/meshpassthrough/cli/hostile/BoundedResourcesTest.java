package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The biggest hostile inputs through the real command line in a child JVM with a 256 MB heap: each
 * ends in its expected exit code and one clear line, never in an {@code OutOfMemoryError}, a stack
 * trace or a hang. The timeout is generous; it only tells a hang from a slow machine.
 */
class BoundedResourcesTest {
  private static final Duration HANG = Duration.ofSeconds(120);

  /** Little memory, and a light JVM: these runs measure bounds, not speed. */
  private static final List<String> SMALL_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Set<String> BIGGEST =
      Set.of(
          "nesting-block-5000",
          "document-50mb",
          "append-match-100000",
          "append-match-100001",
          "labels-200000");

  @TempDir static Path scratch;

  static List<HostileCase> biggest() {
    return HostileCase.all().stream().filter(c -> BIGGEST.contains(c.id())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("biggest")
  void validateWith256Megabytes_endsInTheExpectedExitCodeAndLine(HostileCase hostile) {
    String input = hostile.materialize(scratch).toString();

    CliOutcome run = CliOutcome.childJvm(HANG, SMALL_JVM, "validate", input);

    assertThat(run.err()).doesNotContain("OutOfMemoryError");
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(hostile.exit());
    assertThat(hostile.exit() == 2 ? run.err() : run.out())
        .contains(input)
        .contains(hostile.expect());
    run.assertOneLinePerProblem(true);
  }

  @Test
  void biggest_areCasesOfTheManifest() {
    assertThat(biggest()).hasSize(BIGGEST.size());
  }
}
