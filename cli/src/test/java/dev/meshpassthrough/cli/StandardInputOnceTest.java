package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Standard input named twice is a usage error for every command that takes inputs (issue 13, defect
 * 7).
 */
class StandardInputOnceTest {
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: allow-all
      spec:
        targetRef: {kind: Mesh}
        default: {passthroughMode: All}
      """;

  @TempDir static Path dir;

  static List<List<String>> commandsNamingStandardInputTwice() throws IOException {
    String proxy =
        Files.writeString(
                dir.resolve("proxy.yaml"), "dataplane: {name: p, transparentProxy: true}\n")
            .toString();
    return List.of(
        List.of("validate", "-", "-"),
        List.of("translate", "-", "-"),
        List.of("resolve", "--proxy", proxy, "-", "-"),
        List.of("explain", "--to", "10.0.0.1:80", "-", "-"),
        List.of("lint", "-", "-"),
        List.of("validate", "-", dir.toString(), "-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsNamingStandardInputTwice")
  void standardInputGivenTwice_isAUsageError(List<String> args) {
    CliRun run = CliRun.withStdin(POLICY, args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("meshpassthrough: standard input (-) is given")
        .contains("can be read only once")
        .doesNotContain("internal error");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsNamingStandardInputOnce")
  void standardInputGivenOnce_isRead(List<String> args) {
    CliRun run = CliRun.withStdin(POLICY, args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  static List<List<String>> commandsNamingStandardInputOnce() {
    return List.of(List.of("validate", "-"), List.of("translate", "-"));
  }
}
