package dev.meshpassthrough.cli.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The hostile inputs too big to commit, written at run time: named by the {@code generate} field of
 * {@code hostile/cases.yaml}. Each is built the same way every time (no randomness), streamed to a
 * file so that even the 50 MB one never sits in the test's memory as one string.
 */
final class HostileInputs {
  static final int DEEP = 5_000;
  static final int ENTRIES = 100_000;
  static final int LABELS = 200_000;
  static final long FIFTY_MB = 50L * 1024 * 1024;

  private static final String UNIVERSAL =
      "type: MeshPassthrough\nname: big\nspec:\n  default:\n    appendMatch:\n";

  /** Writes one input into the writer. */
  private interface Generator {
    void write(Writer out) throws IOException;
  }

  private static final Map<String, Generator> GENERATORS =
      Map.ofEntries(
          Map.entry(
              "nesting-flow-5000", out -> out.write("[".repeat(DEEP) + "]".repeat(DEEP) + "\n")),
          Map.entry("nesting-block-5000", HostileInputs::blockNesting),
          Map.entry(
              "nesting-json-5000",
              out -> out.write("{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP) + "\n")),
          Map.entry("document-50mb", HostileInputs::fiftyMegabytes),
          // http: the validator's layer-7 clash rule compared every pair of http entries (minutes).
          Map.entry(
              "append-match-100000-last-bad",
              out -> appendMatch(out, ENTRIES, "http", i -> i == ENTRIES - 1 ? 0 : 1 + i % 65535)),
          // Every entry an error: the validator asked "any error under this entry?" of every
          // violation (minutes).
          Map.entry("append-match-100000-all-bad", out -> appendMatch(out, ENTRIES, "tls", i -> 0)),
          Map.entry(
              "append-match-100001",
              out -> appendMatch(out, ENTRIES + 1, "tls", i -> 1 + i % 65535)),
          Map.entry("labels-200000", HostileInputs::labels),
          Map.entry("documents-10001", HostileInputs::documents),
          // JSON: YAML allows implicit keys of at most 1024 characters, and says so.
          Map.entry(
              "key-100000-chars",
              out ->
                  out.write(
                      "{\"type\": \"MeshPassthrough\", \"name\": \"big\", \"spec\": "
                          + "{\"default\": {\""
                          + "k".repeat(100_000)
                          + "\": 1}}}\n")),
          Map.entry(
              "implicit-key-2000-chars",
              out ->
                  out.write(
                      "type: MeshPassthrough\nname: big\nspec:\n  default:\n    "
                          + "k".repeat(2_000)
                          + ": 1\n")),
          Map.entry(
              "domain-1mb",
              out ->
                  out.write(
                      UNIVERSAL
                          + "    - type: Domain\n      value: "
                          + "d".repeat(1 << 20)
                          + "\n      port: 443\n      protocol: tls\n")));

  /** Builds a directory input (made of things that cannot be committed, such as a named pipe). */
  private interface DirectoryGenerator {
    void build(Path directory) throws IOException, InterruptedException;
  }

  private static final Map<String, DirectoryGenerator> DIRECTORIES =
      Map.of(
          // A named pipe nobody writes to: opening it would wait forever (issue 13, defect 2).
          "fifo-in-directory",
          directory -> {
            Files.writeString(
                directory.resolve("policy.yaml"),
                "type: MeshPassthrough\nname: web\nspec:\n  targetRef: {kind: Mesh}\n"
                    + "  default:\n    appendMatch:\n    - {type: Domain, value: example.com, port: 443, protocol: tls}\n");
            mkfifo(directory.resolve("pipe.yaml"));
          });

  private HostileInputs() {}

  /** The input {@code name}, written into {@code directory} unless it is there already. */
  static Path generate(String name, Path directory) {
    DirectoryGenerator builder = DIRECTORIES.get(name);
    if (builder != null) {
      return directoryInput(name, builder, directory);
    }
    Generator generator = GENERATORS.get(name);
    if (generator == null) {
      throw new IllegalArgumentException(
          "no generator " + name + "; known: " + GENERATORS.keySet());
    }
    Path file = directory.resolve(name + ".yaml");
    if (Files.exists(file)) {
      return file;
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      generator.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Whether a generator of this name exists. */
  static boolean exists(String name) {
    return GENERATORS.containsKey(name) || DIRECTORIES.containsKey(name);
  }

  private static synchronized Path directoryInput(
      String name, DirectoryGenerator builder, Path scratch) {
    Path directory = scratch.resolve(name);
    if (Files.isDirectory(directory)) {
      return directory;
    }
    try {
      builder.build(Files.createDirectories(directory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return directory;
  }

  /** A named pipe, made with {@code mkfifo} (Linux, macOS). */
  static Path mkfifo(Path path) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("mkfifo " + path + " failed");
    }
    return path;
  }

  private interface PortOf {
    int port(int index);
  }

  /**
   * {@code count} domain entries, four lines each, entry {@code i} on port {@code ports.port(i)}.
   */
  private static void appendMatch(Writer out, int count, String protocol, PortOf ports)
      throws IOException {
    out.write(UNIVERSAL);
    for (int i = 0; i < count; i++) {
      out.write(
          "    - type: Domain\n      value: host"
              + i
              + ".example.com\n      port: "
              + ports.port(i)
              + "\n      protocol: "
              + protocol
              + "\n");
    }
  }

  /** Maps nested {@link #DEEP} deep in block style, each level indented one more space. */
  private static void blockNesting(Writer out) throws IOException {
    for (int depth = 0; depth < DEEP; depth++) {
      out.write(" ".repeat(depth) + "k:\n");
    }
  }

  /** A policy whose entries go on past 50 MB: over the 16 MiB limit more than three times. */
  private static void fiftyMegabytes(Writer out) throws IOException {
    out.write(UNIVERSAL);
    long written = UNIVERSAL.length();
    for (int i = 0; written <= FIFTY_MB; i++) {
      String entry =
          "    - type: Domain\n      value: host"
              + i
              + ".example.com\n      port: 443\n      protocol: tls\n";
      out.write(entry);
      written += entry.length();
    }
  }

  private static void labels(Writer out) throws IOException {
    out.write("type: MeshPassthrough\nname: big\nlabels:\n");
    for (int i = 0; i < LABELS; i++) {
      out.write("  label-" + i + ": value\n");
    }
  }

  /**
   * One more document than {@link dev.meshpassthrough.core.parse.ParseLimits#defaults()} reads,
   * each with an unknown mode (so that the pipeline test does not translate ten thousand policies).
   */
  private static void documents(Writer out) throws IOException {
    for (int i = 0; i <= 10_000; i++) {
      out.write(
          "---\ntype: MeshPassthrough\nname: policy-"
              + i
              + "\nspec:\n  default:\n    passthroughMode: Sometimes\n");
    }
  }
}
