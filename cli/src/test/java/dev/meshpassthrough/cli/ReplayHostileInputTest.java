package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile connection inputs end with a clear message and a documented exit code, never a stack
 * trace: a line too long is malformed (exit 0), an input whose format cannot be told is exit 2.
 */
class ReplayHostileInputTest {
  /** Recorded seed of the binary garbage. */
  private static final long SEED = 20261205L;

  @TempDir Path dir;

  @Test
  void veryLongLine_isMalformed_andTheOthersAreRead() throws IOException {
    String longLine = "tcp,10.0.0.5,5432," + "a".repeat(1_000_000);
    Path path = dir.resolve("c.csv");
    Files.writeString(path, "tcp,10.0.0.5,5432,\n" + longLine + "\ntcp,10.0.0.5,5432,\n");

    CliRun run = replay(path.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("ALLOW          2  tcp: opaque bytes to 10.0.0.5:5432")
        .contains("lines: 3 read, 2 connections, 1 malformed\n")
        .contains("  line 2: the line is longer than 65536 characters\n");
    assertNoStackTrace(run);
  }

  @Test
  void veryLongFirstLine_exitsTwo_sayingTheFormatCannotBeTold() throws IOException {
    Path path = dir.resolve("c.csv");
    Files.writeString(path, "x".repeat(200_000));

    CliRun run = replay(path.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "meshpassthrough: "
                + path
                + ": line 1 is longer than 65536 characters: cannot tell the format of the"
                + " connections\n");
  }

  @Test
  void binaryGarbage_exitsTwo_quotingTheLineEscaped() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(SEED).nextBytes(garbage);
    garbage[0] = 0x01; // not a blank line, not '{'
    Path path = dir.resolve("garbage.bin");
    Files.write(path, garbage);

    CliRun run = replay(path.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("meshpassthrough: " + path + ": line ")
        .contains("is neither CSV (protocol,dst_ip,dst_port,sni_or_host) nor an Envoy JSON access")
        .contains("\\u0001");
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).doesNotContainPattern("[\\x00-\\x08\\x0e-\\x1f]");
    assertNoStackTrace(run);
  }

  @Test
  void binaryGarbageAfterAGoodLine_isMalformed_notFatal() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(SEED).nextBytes(garbage);
    Path path = dir.resolve("c.csv");
    Files.write(path, "tcp,10.0.0.5,5432,\n".getBytes(StandardCharsets.UTF_8));
    Files.write(path, garbage, java.nio.file.StandardOpenOption.APPEND);

    CliRun run = replay(path.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("ALLOW          1  tcp: opaque bytes to 10.0.0.5:5432");
    assertThat(run.out()).containsPattern("1 connections, [1-9][0-9]* malformed");
    assertThat(run.out()).doesNotContainPattern("[\\x00-\\x08\\x0e-\\x1f]");
    assertNoStackTrace(run);
  }

  @Test
  void deeplyNestedJson_isMalformed_notAStackOverflow() throws IOException {
    String nested = "{\"x\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}";
    Path path = dir.resolve("access.log");
    Files.writeString(path, "{\"downstream_local_address\":\"10.0.0.5:5432\"}\n" + nested + "\n");

    CliRun run = replay(path.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("lines: 2 read, 1 connections, 1 malformed\n");
    assertNoStackTrace(run);
  }

  private CliRun replay(String connections) throws IOException {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, ReplayCommandTest.POLICY);
    return CliRun.of("replay", "--connections", connections, policy.toString());
  }

  private static void assertNoStackTrace(CliRun run) {
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
