package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.cli.MeshPassthroughCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What one run of the command line printed, in this JVM ({@link #inProcess}) or in a child JVM
 * ({@link #childJvm}), and the line discipline every run must keep.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
record CliOutcome(int exitCode, String out, String err) {
  private static final Pattern SUMMARY =
      Pattern.compile("\\d+ polic(y|ies): \\d+ valid, \\d+ invalid; .*");
  private static final Pattern LOCATED = Pattern.compile(".+:\\d+:\\d+: .+");

  static CliOutcome inProcess(String... args) {
    return inProcess(new ByteArrayInputStream(new byte[0]), args);
  }

  static CliOutcome inProcess(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        MeshPassthroughCommand.run(
            args,
            stdin,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliOutcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code dev.meshpassthrough.cli.Main} in a new JVM on this test's class path, reading its
   * output as UTF-8 bytes; a run longer than {@code timeout} is a hang, and fails.
   */
  static CliOutcome childJvm(Duration timeout, List<String> jvmOptions, String... args) {
    Path home = Path.of(System.getProperty("java.home"));
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin").resolve("java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.meshpassthrough.cli.Main");
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("cli-out", ".txt");
      Path err = Files.createTempFile("cli-err", ".txt");
      try {
        // To files, not pipes: a child writing megabytes must never block on a full pipe.
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new AssertionError(
              "the command line hung: no exit within " + timeout + ": " + String.join(" ", args));
        }
        return new CliOutcome(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /**
   * Asserts what every run prints, whatever its input: one line per problem, each starting with a
   * location ({@code file:line:column: }), a {@code meshpassthrough: }, {@code warning: } or {@code
   * note: } prefix, or the summary; no stack trace and no internal error. Standard output is
   * checked line by line only for text output (not for translate's JSON).
   */
  CliOutcome assertOneLinePerProblem(boolean textOutput) {
    assertThat(err)
        .doesNotContain("internal error")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    for (String line : err.lines().toList()) {
      assertThat(line)
          .as("a line of standard error")
          .matches(
              l ->
                  LOCATED.matcher(l).matches()
                      || l.startsWith("meshpassthrough: ")
                      || l.startsWith("warning: ")
                      || l.startsWith("note: "),
              "starts with a location or a prefix");
    }
    if (textOutput) {
      for (String line : out.lines().toList()) {
        assertThat(line)
            .as("a line of standard output")
            .matches(
                l -> LOCATED.matcher(l).matches() || SUMMARY.matcher(l).matches(),
                "is a located violation or the summary");
      }
    }
    return this;
  }
}
