package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outcome does not depend on how a path is spelt (issue 13, defect 4). A bare spec is named
 * after its file without the extension, so {@code lock.yaml} and {@code open.yaml} are {@code lock}
 * and {@code open} however they are written (relative, {@code ./}, absolute, through a linked
 * directory), and the tie between them always goes the same way. Two documents of one name are an
 * error in validate and translate alike.
 */
class BareSpecIdentityTest {
  private static final String LOCK = "targetRef: {kind: Mesh}\ndefault: {passthroughMode: None}\n";
  private static final String OPEN = "targetRef: {kind: Mesh}\ndefault: {passthroughMode: All}\n";

  @TempDir Path dir;
  Path proxy;

  /** The policies' directory, spelt relative to the working directory. */
  Path relative;

  /** The same directory through a symbolic link. */
  Path linked;

  @BeforeEach
  void twoBareSpecsOfEqualRank() throws IOException {
    Path policies = Files.createDirectory(dir.resolve("policies"));
    Files.writeString(policies.resolve("lock.yaml"), LOCK);
    Files.writeString(policies.resolve("open.yaml"), OPEN);
    proxy = Files.writeString(dir.resolve("proxy.yaml"), ResolveCommandTest.PROXY);
    relative = Path.of("").toAbsolutePath().relativize(policies);
    linked = Files.createSymbolicLink(dir.resolve("linked"), policies);
  }

  /** Every spelling of the two files, in both orders. */
  private List<List<String>> spellings() {
    List<List<String>> all = new ArrayList<>();
    for (Path base :
        List.of(relative, Path.of(".").resolve(relative), relative.toAbsolutePath(), linked)) {
      String lock = base.resolve("lock.yaml").toString();
      String open = base.resolve("open.yaml").toString();
      all.add(List.of(lock, open));
      all.add(List.of(open, lock));
    }
    all.add(
        List.of(relative.resolve("lock.yaml").toString(), "./" + relative.resolve("open.yaml")));
    all.add(
        List.of(
            "./" + relative.resolve("open.yaml"),
            relative.resolve("lock.yaml").toAbsolutePath().toString()));
    return all;
  }

  @Test
  void resolve_givesTheSameOutcomeForEverySpelling() {
    List<String> outputs = new ArrayList<>();
    for (List<String> files : spellings()) {
      CliRun run = run("resolve", "--proxy", proxy.toString(), files);
      assertThat(run.exitCode()).as("%s: %s", files, run.err()).isZero();
      outputs.add(run.out());
    }

    assertThat(outputs).allSatisfy(out -> assertThat(out).isEqualTo(outputs.get(0)));
    assertThat(outputs.get(0))
        .contains("outcome: BlockAll")
        .contains("name: lock")
        .contains("name: open")
        .doesNotContain(".yaml");
  }

  @Test
  void translate_printsByteIdenticalResourcesForEverySpelling() {
    List<String> outputs = new ArrayList<>();
    for (List<String> files : spellings()) {
      CliRun run = run("translate", "--proxy", proxy.toString(), files);
      assertThat(run.exitCode()).as("%s: %s", files, run.err()).isZero();
      outputs.add(run.out());
    }

    assertThat(outputs).allSatisfy(out -> assertThat(out).isEqualTo(outputs.get(0)));
  }

  @Test
  void validate_printsTheSameViolationsForEverySpelling() {
    List<String> outputs = new ArrayList<>();
    for (List<String> files : spellings()) {
      CliRun run = run("validate", List.of("--output", "yaml"), files);
      assertThat(run.exitCode()).as("%s: %s", files, run.err()).isZero();
      // Sources name the file as given; everything else is the same.
      outputs.add(
          run.out()
              .replace(files.get(0), "FIRST")
              .replace(files.get(1), "SECOND")
              .replaceAll("source: \"?(FIRST|SECOND)", "source: FILE"));
    }

    assertThat(outputs)
        .allSatisfy(
            out ->
                assertThat(out.lines().sorted().toList())
                    .isEqualTo(outputs.get(0).lines().sorted().toList()));
    assertThat(outputs.get(0)).contains("policy: lock\n").contains("policy: open\n");
  }

  @Test
  void sameFileNameInTwoDirectories_isOneNameTwice_inValidateAndTranslate() throws IOException {
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.writeString(other.resolve("lock.yml"), OPEN);
    String first = relative.resolve("lock.yaml").toString();
    String second = other.resolve("lock.yml").toString();
    String expected =
        second
            + ":1:1: error: spec: policy lock of mesh default is also defined at "
            + first
            + ":1:1 (a bare spec is "
            + "named after its file, without the extension): a mesh holds one policy of a name [document.name.duplicate]";

    CliRun validate = CliRun.of("validate", first, second);
    CliRun translate = CliRun.of("translate", first, second);

    assertThat(validate.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(validate.out())
        .contains(expected + "\n")
        .endsWith("2 policies: 1 valid, 1 invalid; 1 error, 1 warning\n");
    assertThat(translate.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(translate.err()).contains(expected + "\n");
    assertThat(translate.out()).isEmpty();
  }

  @Test
  void twoBareSpecsInOneFile_andAUniversalPolicyOfTheFilesName_areDuplicates() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("web.yaml"),
            LOCK
                + "---\n"
                + LOCK
                + "---\ntype: MeshPassthrough\nname: web\nspec:\n  targetRef: {kind: Mesh}\n");

    CliRun validate = CliRun.of("validate", file.toString());
    CliRun translate = CliRun.of("translate", file.toString());

    String at = " is also defined at " + file + ":1:1";
    assertThat(validate.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(validate.out().lines().filter(l -> l.contains("[document.name.duplicate]")).toList())
        .containsExactly(
            file
                + ":4:1: error: spec: policy web of mesh default"
                + at
                + " (a bare spec is named after its file, without the extension): a mesh holds one policy of a name [document.name.duplicate]",
            file
                + ":8:1: error: name: policy web of mesh default"
                + at
                + ": a mesh holds one policy of a name [document.name.duplicate]");
    assertThat(translate.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(
            translate.err().lines().filter(l -> l.contains("[document.name.duplicate]")).toList())
        .hasSize(2);
  }

  private static CliRun run(String command, List<String> files) {
    return run(command, List.of(), files);
  }

  private static CliRun run(String command, String option, String value, List<String> files) {
    return run(command, List.of(option, value), files);
  }

  private static CliRun run(String command, List<String> options, List<String> files) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(options);
    args.addAll(files);
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * The spellings of the issue, in the policies' own directory: {@code lock.yaml open.yaml} gave
   * BlockAll and {@code ./open.yaml lock.yaml} AllowAll. A child JVM, so that the working directory
   * is that directory.
   */
  @Test
  void resolveInThePoliciesDirectory_givesTheSameOutcome_withOrWithoutDotSlash() throws Exception {
    Path policies = dir.resolve("policies");
    List<List<String>> spellings =
        List.of(
            List.of("lock.yaml", "open.yaml"),
            List.of("./open.yaml", "lock.yaml"),
            List.of("open.yaml", "./lock.yaml"),
            List.of(policies.resolve("open.yaml").toString(), "lock.yaml"));

    List<String> outputs = new ArrayList<>();
    for (List<String> files : spellings) {
      List<String> args = new ArrayList<>(List.of("resolve", "--proxy", proxy.toString()));
      args.addAll(files);
      outputs.add(childJvmIn(policies, args));
    }

    assertThat(outputs).allSatisfy(out -> assertThat(out).isEqualTo(outputs.get(0)));
    assertThat(outputs.get(0)).contains("outcome: BlockAll");
  }

  /**
   * Standard output of the command line run in a new JVM whose working directory is {@code
   * directory}; exit 0 asserted.
   */
  private static String childJvmIn(Path directory, List<String> args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.meshpassthrough.cli.Main"));
    command.addAll(args);
    Path out = Files.createTempFile("identity-out", ".txt");
    Path err = Files.createTempFile("identity-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the command line hung: " + args);
      }
      assertThat(process.exitValue()).as("%s: %s", args, Files.readString(err)).isZero();
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
