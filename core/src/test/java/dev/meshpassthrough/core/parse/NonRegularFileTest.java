package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named pipes and other entries that are not regular files (issue 13, defect 2): a directory walk
 * never opens them (opening a pipe waits for a writer, forever if none comes) and says what it
 * skipped; a pipe named directly is read as a stream within the byte limit. Each test fails after a
 * bounded time instead of hanging when this regresses.
 */
class NonRegularFileTest {
  private static final Duration HANG = Duration.ofSeconds(20);
  private static final String POLICY =
      "type: MeshPassthrough\nname: good\nspec:\n  targetRef: {kind: Mesh}\n";

  @TempDir Path root;

  @Test
  void namedPipeInADirectory_isSkippedWithANote_andTheOtherFilesAreRead() throws Exception {
    Files.writeString(root.resolve("good.yaml"), POLICY);
    Path pipe = mkfifo(root.resolve("pipe.yaml"));

    ParseResult result = assertTimeoutPreemptively(HANG, () -> Parsing.PARSER.parse(root));

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).extracting(d -> d.name().orElseThrow()).containsExactly("good");
    assertThat(result.notes())
        .singleElement()
        .satisfies(
            note -> {
              assertThat(note.location().source()).isEqualTo(pipe.toString());
              assertThat(note.message())
                  .isEqualTo("skipped: not a regular file (a named pipe, socket or device)");
            });
  }

  @Test
  void directoryHoldingOnlyANamedPipe_isAProblemThatCountsTheSkippedEntry() throws Exception {
    mkfifo(root.resolve("sub/pipe.yml"));

    ParseResult result = assertTimeoutPreemptively(HANG, () -> Parsing.PARSER.parse(root));

    assertThat(result.documents()).isEmpty();
    assertThat(result.notes()).hasSize(1);
    assertThat(result.problems())
        .singleElement()
        .extracting(ParseProblem::message)
        .isEqualTo(
            "no .yaml, .yml or .json file found in this directory (1 skipped: not regular files)");
  }

  @Test
  void linksInADirectory_toAFileAreRead_toAPipeOrADirectoryAreSkipped() throws Exception {
    Path target = Files.writeString(root.resolve("target.txt"), POLICY);
    Path pipe = mkfifo(root.resolve("pipe"));
    Path walked = Files.createDirectory(root.resolve("walked"));
    Files.createSymbolicLink(walked.resolve("a-file.yaml"), target);
    Files.createSymbolicLink(walked.resolve("b-pipe.yaml"), pipe);
    Files.createSymbolicLink(
        walked.resolve("c-dir.yaml"), Files.createDirectory(root.resolve("elsewhere")));

    ParseResult result = assertTimeoutPreemptively(HANG, () -> Parsing.PARSER.parse(walked));

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(1);
    assertThat(result.notes())
        .extracting(
            note -> root.relativize(Path.of(note.location().source())) + " " + note.message())
        .containsExactly(
            "walked/b-pipe.yaml skipped: not a regular file (a named pipe, socket or device)",
            "walked/c-dir.yaml skipped: a link to a directory, which is not followed");
  }

  @Test
  void namedPipeGivenDirectly_isReadAsAStream() throws Exception {
    Path pipe = mkfifo(root.resolve("pipe.yaml"));
    CompletableFuture<Void> writer = write(pipe, POLICY.getBytes(StandardCharsets.UTF_8));

    ParseResult result = assertTimeoutPreemptively(HANG, () -> Parsing.PARSER.parse(pipe));

    writer.get(HANG.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).extracting(d -> d.name().orElseThrow()).containsExactly("good");
    assertThat(result.documents().get(0).location().source()).isEqualTo(pipe.toString());
  }

  @Test
  void namedPipeGivenDirectly_isReadNoFurtherThanTheByteLimit() throws Exception {
    Path pipe = mkfifo(root.resolve("endless.yaml"));
    CompletableFuture<Void> writer =
        write(
            pipe, ("# " + "x".repeat(1_000) + "\n").repeat(1_000).getBytes(StandardCharsets.UTF_8));

    ParseResult result =
        assertTimeoutPreemptively(
            HANG,
            () ->
                PolicyParser.create(ParseLimits.defaults().withMaxInputBytes(64 * 1024))
                    .parse(pipe));

    writer.cancel(true);
    assertThat(result.documents()).isEmpty();
    assertThat(result.problems())
        .singleElement()
        .extracting(ParseProblem::message)
        .asString()
        .contains("maxInputBytes=65536");
  }

  /**
   * A named pipe made with {@code mkfifo} (Linux and macOS); the test is skipped where there is
   * none.
   */
  static Path mkfifo(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.getParent());
    Process process;
    try {
      process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "mkfifo is not available: " + e.getMessage());
      throw e;
    }
    assumeTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0, "mkfifo failed");
    return path;
  }

  /**
   * Writes {@code bytes} into the pipe from another thread; a reader that stops early ends it with
   * an error, ignored.
   */
  private static CompletableFuture<Void> write(Path pipe, byte[] bytes) {
    return CompletableFuture.runAsync(
        () -> {
          try (OutputStream out = Files.newOutputStream(pipe)) {
            out.write(bytes);
          } catch (IOException e) {
            // the reader stopped at its limit and closed the pipe
          }
        });
  }
}
