package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line prints the same bytes in every JVM: a second run, one whose identity hashes all
 * collide, a Turkish default locale, and other default charsets ({@code file.encoding}). A
 * non-ASCII message shows that the output is UTF-8 whatever the platform's charset.
 */
class JvmRestartDeterminismTest {
  private static final Duration HANG = Duration.ofSeconds(120);
  private static final List<String> LIGHT = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static String policy;
  private static String nonAscii;
  private static CliOutcome translated;
  private static CliOutcome validated;

  @BeforeAll
  static void firstRun() {
    policy = TestInputs.everyKind().toString();
    nonAscii =
        HostileCase.all().stream()
            .filter(c -> c.id().equals("type-dotless-i"))
            .findFirst()
            .orElseThrow()
            .materialize(Path.of("unused"))
            .toString();
    translated = CliOutcome.childJvm(HANG, LIGHT, "translate", policy);
    validated = CliOutcome.childJvm(HANG, LIGHT, "validate", "--output", "json", nonAscii, policy);
  }

  @Test
  void firstRun_translatedAndValidated() {
    assertThat(translated.exitCode()).as(translated.err()).isZero();
    assertThat(translated.out()).contains("\"resources\"").contains("wiki.example.com");
    assertThat(validated.exitCode()).isEqualTo(1);
    assertThat(validated.out()).contains("provided type Domaın is not supported");
  }

  @Test
  void secondJvmWithOtherIdentityHashes_printsTheSameBytes() {
    // hashCode=2 gives every object the identity hash 1: any order taken from identity hashes
    // changes.
    List<String> constantHashes =
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:hashCode=2");

    assertThat(CliOutcome.childJvm(HANG, LIGHT, "translate", policy)).isEqualTo(translated);
    assertThat(CliOutcome.childJvm(HANG, constantHashes, "translate", policy))
        .isEqualTo(translated);
  }

  @Test
  void turkishLocaleAndLatin1Charset_printTheSameBytes() {
    List<String> turkish =
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Duser.language=tr",
            "-Duser.country=TR",
            "-Dfile.encoding=ISO-8859-1");

    assertThat(CliOutcome.childJvm(HANG, turkish, "translate", policy)).isEqualTo(translated);
    assertThat(CliOutcome.childJvm(HANG, turkish, "validate", "--output", "json", nonAscii, policy))
        .isEqualTo(validated);
  }

  @Test
  void asciiCharset_printsTheSameBytes() {
    List<String> ascii =
        List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=US-ASCII");

    assertThat(CliOutcome.childJvm(HANG, ascii, "validate", "--output", "json", nonAscii, policy))
        .isEqualTo(validated);
  }
}
