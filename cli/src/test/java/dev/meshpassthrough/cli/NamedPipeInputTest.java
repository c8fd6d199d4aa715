package dev.meshpassthrough.cli;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named pipes on the command line (issue 13, defect 2): in a directory they are skipped with a note
 * and never opened, so validate and translate end; named directly they are read like {@code -}.
 * Every run is bounded, so that a regression fails instead of hanging the build.
 */
class NamedPipeInputTest {
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: web
      spec:
        targetRef: {kind: Mesh}
        default:
          appendMatch:
          - {type: Domain, value: example.com, port: 443, protocol: tls}
      """;

  @TempDir Path dir;
  Path pipe;

  @BeforeEach
  void directoryWithAPolicyAndAPipeNobodyWritesTo() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    pipe = dir.resolve("pipe.yaml");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo: " + e.getMessage());
      return;
    }
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
  }

  @Test
  void validate_ofADirectoryWithAPipe_skipsItWithANoteAndEnds() {
    CliRun run = assertTimeoutPreemptively(HANG, () -> CliRun.of("validate", dir.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .isEqualTo(
            pipe + ":1:1: note: skipped: not a regular file (a named pipe, socket or device)\n");
    assertThat(run.out()).isEqualTo("1 policy: 1 valid, 0 invalid; 0 errors, 0 warnings\n");
  }

  @Test
  void translate_ofADirectoryWithAPipe_translatesTheOtherPolicies() {
    CliRun withPipe = assertTimeoutPreemptively(HANG, () -> CliRun.of("translate", dir.toString()));
    CliRun alone = CliRun.of("translate", dir.resolve("policy.yaml").toString());

    assertThat(withPipe.exitCode()).as(withPipe.err()).isZero();
    assertThat(withPipe.err()).contains(pipe + ":1:1: note: skipped: not a regular file");
    assertThat(withPipe.out()).isEqualTo(alone.out());
  }

  @Test
  void pipeNamedOnTheCommandLine_isReadAsAStream() throws Exception {
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream out = Files.newOutputStream(pipe)) {
                out.write(POLICY.getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });

    CliRun run = assertTimeoutPreemptively(HANG, () -> CliRun.of("validate", pipe.toString()));

    writer.get(HANG.toSeconds(), TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("1 policy: 1 valid, 0 invalid; 0 errors, 0 warnings\n");
  }

  @Test
  void pipeGivenAsTheProxyFile_isReadAsAStream() throws Exception {
    Files.delete(dir.resolve("policy.yaml"));
    Path policy = Files.writeString(dir.resolve("policy.yml"), POLICY);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream out = Files.newOutputStream(pipe)) {
                out.write(
                    "dataplane: {name: web-1, address: 10.0.0.5, inbounds: [{port: 8080}], transparentProxy: true}\n"
                        .getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });

    CliRun run =
        assertTimeoutPreemptively(
            HANG, () -> CliRun.of("resolve", "--proxy", pipe.toString(), policy.toString()));

    writer.get(HANG.toSeconds(), TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("proxy: web-1");
  }
}
