package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid policies far below every parse limit whose translation used to end in an {@code
 * OutOfMemoryError} in a 256 MB JVM (issue 13): tens of thousands of IP or TLS entries, 20,000
 * one-entry policy files, 300 entries crossing TLS names with port-less HTTP networks (67,000
 * chains), and confs whose virtual hosts multiply. Through the real command line in a child JVM
 * with {@code -Xmx256m}, each is translated (exit 0, a whole JSON document on standard output) or
 * refused with the translator's bound (exit 1, one line naming it, nothing on standard output);
 * never an {@code OutOfMemoryError} or a stack trace. Inputs are generated into a temporary folder.
 */
class BoundedTranslationTest {
  private static final List<String> SMALL_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final long HANG_SECONDS = 120;

  @TempDir static Path scratch;

  @BeforeAll
  static void writeInputs() throws IOException {
    write(
        "ip-40000.yaml",
        40_000,
        i -> "{type: IP, value: " + ip(i) + ", port: 8080, protocol: tcp}");
    write(
        "ip-20000.yaml",
        20_000,
        i -> "{type: IP, value: " + ip(i) + ", port: 8080, protocol: tcp}");
    write(
        "tls-20000.yaml",
        20_000,
        i -> "{type: Domain, value: host" + i + ".example.com, port: 443, protocol: tls}");
    write(
        "tls-10000.yaml",
        10_000,
        i -> "{type: Domain, value: host" + i + ".example.com, port: 443, protocol: tls}");
    // 149 TLS names x 150 IP nodes on each of 3 port nodes: 67,500 chains on one listener.
    write(
        "cross-300.yaml",
        300,
        i ->
            i < 149
                ? "{type: Domain, value: host" + i + ".example.com, protocol: tls}"
                : i < 298
                    ? "{type: CIDR, value: 10." + (i - 149) + ".0.0/16, protocol: http}"
                    : "{type: Domain, value: web"
                        + i
                        + ".example.com, port: "
                        + (8080 + i - 298)
                        + ", protocol: http}");
    // 2,000 IP nodes each with the 2,000 port-less HTTP domains as virtual hosts: 4 million.
    write(
        "virtual-host-bomb.yaml",
        4_000,
        i ->
            i < 2_000
                ? "{type: CIDR, value: 10." + (i / 256) + "." + (i % 256) + ".0/24, protocol: tls}"
                : "{type: Domain, value: host" + i + ".example.com, protocol: http}");
    // 5,000 port-less HTTP domains on each of 5,000 ports: 25 million virtual hosts.
    write(
        "route-bomb.yaml",
        10_000,
        i ->
            i < 5_000
                ? "{type: Domain, value: host" + i + ".example.com, protocol: http}"
                : "{type: IP, value: " + ip(i) + ", port: " + (1_000 + i) + ", protocol: tcp}");
    Path files = Files.createDirectories(scratch.resolve("files-20000"));
    for (int i = 0; i < 20_000; i++) {
      Files.writeString(
          files.resolve(String.format("p%05d.yaml", i)),
          policy("p" + i, List.of("{type: IP, value: " + ip(i) + ", port: 8080, protocol: tcp}")),
          StandardCharsets.UTF_8);
    }
  }

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("ip-40000.yaml", List.of("--profile", "exact"), 0),
        Arguments.of("ip-40000.yaml", List.of("--profile", "kuma"), 0),
        Arguments.of("ip-20000.yaml", List.of("--encoding", "matcher"), 0),
        Arguments.of("tls-20000.yaml", List.of("--profile", "exact"), 0),
        Arguments.of("tls-20000.yaml", List.of("--profile", "kuma", "--output", "yaml"), 0),
        Arguments.of("tls-10000.yaml", List.of("--encoding", "matcher"), 0),
        Arguments.of("files-20000", List.of("--profile", "exact"), 0),
        Arguments.of("cross-300.yaml", List.of("--profile", "exact"), 0),
        Arguments.of("cross-300.yaml", List.of("--encoding", "matcher"), 0),
        Arguments.of("virtual-host-bomb.yaml", List.of("--profile", "exact"), 1),
        Arguments.of("virtual-host-bomb.yaml", List.of("--encoding", "matcher"), 0),
        Arguments.of("route-bomb.yaml", List.of("--profile", "exact"), 1),
        Arguments.of("route-bomb.yaml", List.of("--profile", "kuma"), 1));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("inputs")
  void translateWith256Megabytes_translatesOrRefusesWithTheBound(
      String input, List<String> options, int exit) throws Exception {
    List<String> args = new ArrayList<>(List.of("translate"));
    args.addAll(options);
    args.add(scratch.resolve(input).toString());
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");

    int code = childJvm(args, out, err);

    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(errors)
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(code).as("exit code; stderr: %s", errors).isEqualTo(exit);
    if (exit == 0) {
      assertThat(options.contains("yaml") ? yamlResources(out) : jsonResources(out))
          .as("resources")
          .isGreaterThan(2);
    } else {
      assertThat(Files.size(out)).isZero();
      assertThat(errors.lines().toList())
          .singleElement()
          .asString()
          .contains("error: ")
          .contains("maxOutputBytes=33554432");
    }
    Files.delete(out);
    Files.delete(err);
  }

  /**
   * Reads the JSON document token by token: it must be whole; returns how many resources it lists.
   */
  private static int jsonResources(Path out) throws IOException {
    int resources = 0;
    try (JsonParser parser = new JsonFactory().createParser(out.toFile())) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(parser.nextFieldName()).isEqualTo("resources");
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        resources++;
        parser.skipChildren();
      }
      assertThat(parser.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(parser.nextToken()).isNull();
    }
    return resources;
  }

  /**
   * The YAML document's resources, by their {@code - name:} lines; it must end with the last
   * cluster.
   */
  private static int yamlResources(Path out) throws IOException {
    try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
      List<String> starts =
          lines.filter(l -> l.startsWith("- name: ") || l.equals("resources:")).toList();
      assertThat(starts.get(0)).isEqualTo("resources:");
      return starts.size() - 1;
    }
  }

  private static int childJvm(List<String> args, Path out, Path err)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SMALL_JVM);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.meshpassthrough.cli.Main"));
    command.addAll(args);
    // To files: the output is tens of megabytes, never held in this JVM as one string.
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("translate hung: no exit within " + HANG_SECONDS + " s: " + args);
    }
    return process.exitValue();
  }

  private static void write(String name, int entries, IntFunction<String> entry) {
    List<String> matches = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      matches.add(entry.apply(i));
    }
    try {
      Files.writeString(scratch.resolve(name), policy(name, matches), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String policy(String name, List<String> matches) {
    StringBuilder text =
        new StringBuilder("type: MeshPassthrough\nname: ")
            .append(name.replace('.', '-'))
            .append(
                "\nmesh: default\nspec:\n  targetRef:\n    kind: Mesh\n  default:\n    passthroughMode: Matched\n    appendMatch:\n");
    matches.forEach(m -> text.append("    - ").append(m).append('\n'));
    return text.toString();
  }

  private static String ip(int i) {
    return "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
  }
}
