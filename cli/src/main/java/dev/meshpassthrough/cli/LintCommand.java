package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshpassthrough lint}: would Envoy accept these listeners and clusters, and do what they
 * say?
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Check Envoy listeners and clusters the way Envoy would: every protoc-gen-validate rule of Envoy's API, the rules "
          + "Envoy applies when it builds a listener (no two filter chains with the same match, one terminal filter "
          + "placed last, ...), references between resources, and the traps Envoy accepts but does not do what they "
          + "say (an unset prefix_len, host bits, an explicit 0.0.0.0/0 beside prefix-less chains, ...).",
      "",
      "Each FILE is a resources document {\"resources\": [{\"name\": N, \"resource\": {\"@type\": ..., ...}}]}, as "
          + "translate prints it, or the JSON of Envoy's admin /config_dump (for example curl "
          + "localhost:9901/config_dump from a Kuma sidecar): static and dynamic (active and warming) listeners and "
          + "clusters are checked, a failed update recorded in error_state is a problem, other config types are "
          + "skipped. JSON or YAML; - reads standard input.",
      "",
      "--envoy real also loads each file's listeners and clusters into a real Envoy on loopback (found through "
          + "ENVOY_BIN or the project-local install of scripts/install-envoy, never installed by lint); each "
          + "rejection is a problem with rule envoy.rejected.",
      "",
      "One line per problem: FILE:LINE:COLUMN: SEVERITY: RESOURCE PATH: MESSAGE [RULE], where LINE:COLUMN is where "
          + "the resource starts, RESOURCE is 'Listener NAME', 'Cluster NAME' or 'Envoy', PATH the field inside it "
          + "(proto JSON names), SEVERITY error (Envoy rejects it) or warning (a trap.* rule); then a summary line.",
      "",
      "Exit status: 0 no problem, 1 some problem (warnings included), 2 some input could not be read (not JSON or "
          + "YAML, an unknown @type or field, neither a resources document nor a config dump), the command line was "
          + "misused, or --envoy real found no Envoy or could not run it."
    })
final class LintCommand implements Callable<Integer>, StreamsAware {

  @Option(
      names = "--envoy",
      paramLabel = "ENVOY",
      defaultValue = "simulated",
      description =
          "simulated or real (default: ${DEFAULT-VALUE}). simulated: the offline checks only. real: also "
              + "load the resources into a real Envoy (ENVOY_BIN, -Dmeshpassthrough.envoy, or scripts/install-envoy).")
  EnvoyMode envoy;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = OutputFormat.ForLint.class,
      completionCandidates = OutputFormat.ForLint.class,
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "Resources documents or Envoy config dumps (JSON or YAML), or - for standard input.")
  List<String> inputs = new ArrayList<>();

  /** How much of one input lint reads at most. */
  static final int MAX_INPUT_BYTES = 64 * 1024 * 1024;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  /**
   * One input and what lint made of it.
   *
   * @param source the file name
   * @param file the resources, when the input could be read
   * @param error why it could not, otherwise
   * @param problems the problems found
   */
  private record Checked(
      String source,
      Optional<ResourceFile> file,
      Optional<String> error,
      List<LintProblem> problems) {}

  @Override
  public Integer call() {
    if (envoy == EnvoyMode.both) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--envoy must be simulated or real for lint");
    }
    Optional<EnvoyBinary> binary = Optional.empty();
    if (envoy == EnvoyMode.real) {
      binary = RealEnvoyLookup.find(envoy, streams);
      if (binary.isEmpty()) {
        return ExitCode.UNREADABLE;
      }
    }
    List<Checked> checked = new ArrayList<>();
    for (String input : inputs.stream().distinct().toList()) {
      checked.add(read(input));
    }
    if (binary.isPresent() && checked.stream().anyMatch(c -> c.file().isPresent())) {
      try (RealEnvoy real = RealEnvoy.start(binary.get())) {
        for (int i = 0; i < checked.size(); i++) {
          checked.set(i, load(checked.get(i), real));
        }
      } catch (RealEnvoyException e) {
        streams
            .err()
            .println(
                "meshpassthrough: the real Envoy ("
                    + binary.get()
                    + ") failed: "
                    + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
        if (debug) {
          e.printStackTrace(streams.err());
        }
        return ExitCode.UNREADABLE;
      }
    }
    if (output == OutputFormat.text) {
      printText(checked);
    } else {
      streams.out().print(StructuredOutput.write(tree(checked, binary), output));
    }
    if (checked.stream().anyMatch(c -> c.error().isPresent())) {
      return ExitCode.UNREADABLE;
    }
    return checked.stream().allMatch(c -> c.problems().isEmpty()) ? ExitCode.OK : ExitCode.INVALID;
  }

  /**
   * {@code c} with what the real Envoy said about its resources. When the harness cannot run them
   * (the probe refuses some configurations, for example an HTTP connection manager with RDS), the
   * file counts as unreadable, with the harness's reason.
   */
  private Checked load(Checked c, RealEnvoy real) {
    if (c.file().isEmpty()) {
      return c;
    }
    List<LintProblem> problems = new ArrayList<>(c.problems());
    try {
      problems.addAll(ResourceLint.load(c.file().get(), real));
    } catch (RealEnvoyException e) {
      String message =
          c.source()
              + ": the real Envoy could not judge it: "
              + PolicyInputs.oneLine(String.valueOf(e.getMessage()));
      streams.err().println(message);
      return new Checked(c.source(), c.file(), Optional.of(message), problems);
    }
    return new Checked(c.source(), c.file(), c.error(), problems);
  }

  private Checked read(String input) {
    String source = input.equals(PolicyInputs.STDIN) ? "<stdin>" : input;
    try {
      String text = readBounded(input);
      ResourceFile file = ResourceFileReader.read(text, source);
      if (!file.holdsClusters()) {
        streams
            .err()
            .println(
                source
                    + ": note: the config dump holds no clusters (no ClustersConfigDump): references to clusters "
                    + "are not checked"
                    + (envoy == EnvoyMode.real
                        ? ", but a real Envoy rejects routes to clusters it does not have"
                        : ""));
      }
      return new Checked(source, Optional.of(file), Optional.empty(), ResourceLint.accept(file));
    } catch (IOException e) {
      String why =
          e instanceof java.nio.charset.CharacterCodingException
              ? "not UTF-8 text"
              : e instanceof java.nio.file.NoSuchFileException
                  ? "no such file"
                  : String.valueOf(e.getMessage());
      return unreadable(source, source + ": cannot read: " + PolicyInputs.oneLine(why));
    } catch (ResourceFileReader.UnreadableException e) {
      return unreadable(source, String.valueOf(e.getMessage()));
    }
  }

  /**
   * The input's text, read no further than {@value #MAX_INPUT_BYTES} bytes (an admin config dump of
   * a large sidecar is a few MB): a bigger input, or one that never ends, is unreadable, not a full
   * heap.
   */
  private String readBounded(String input) throws IOException {
    try (java.io.InputStream in =
        input.equals(PolicyInputs.STDIN) ? streams.in() : Files.newInputStream(Path.of(input))) {
      byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
      if (bytes.length > MAX_INPUT_BYTES) {
        throw new IOException("larger than the limit of " + MAX_INPUT_BYTES + " bytes");
      }
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }
  }

  private Checked unreadable(String source, String message) {
    streams.err().println(message);
    return new Checked(source, Optional.empty(), Optional.of(message), List.of());
  }

  private void printText(List<Checked> checked) {
    int errors = 0;
    int warnings = 0;
    int withProblems = 0;
    int unreadable = 0;
    int listeners = 0;
    int clusters = 0;
    for (Checked c : checked) {
      c.problems().forEach(streams.out()::println);
      errors +=
          (int)
              c.problems().stream().filter(p -> p.severity() == LintProblem.Severity.error).count();
      warnings +=
          (int)
              c.problems().stream()
                  .filter(p -> p.severity() == LintProblem.Severity.warning)
                  .count();
      withProblems += c.problems().isEmpty() ? 0 : 1;
      unreadable += c.error().isPresent() ? 1 : 0;
      listeners += c.file().map(f -> ResourceFile.listeners(f.entries()).size()).orElse(0);
      clusters += c.file().map(f -> ResourceFile.clusters(f.entries()).size()).orElse(0);
    }
    int clean = checked.size() - withProblems - unreadable;
    streams
        .out()
        .println(
            count(checked.size(), "file", "files")
                + " ("
                + count(listeners, "listener", "listeners")
                + ", "
                + count(clusters, "cluster", "clusters")
                + (envoy == EnvoyMode.real ? ", loaded into a real Envoy" : "")
                + "): "
                + clean
                + " clean, "
                + withProblems
                + " with problems"
                + (unreadable > 0 ? ", " + unreadable + " unreadable" : "")
                + "; "
                + count(errors, "error", "errors")
                + ", "
                + count(warnings, "warning", "warnings"));
  }

  /**
   * The JSON form: {@code {"envoy": "simulated"|"real", "realEnvoyVersion": V|null, "files":
   * [{"file", "kind", "listeners", "clusters", "problems": [...], "error"}], "summary": {"files",
   * "clean", "withProblems", "unreadable", "errors", "warnings"}}}.
   */
  private Map<String, @Nullable Object> tree(List<Checked> checked, Optional<EnvoyBinary> binary) {
    Map<String, @Nullable Object> root = new LinkedHashMap<>();
    root.put("envoy", envoy.name());
    root.put("realEnvoyVersion", binary.map(EnvoyBinary::version).orElse(null));
    List<Object> files = new ArrayList<>();
    int errors = 0;
    int warnings = 0;
    for (Checked c : checked) {
      Map<String, @Nullable Object> file = new LinkedHashMap<>();
      file.put("file", c.source());
      file.put("kind", c.file().map(f -> f.kind().wireName()).orElse(null));
      file.put(
          "listeners", c.file().map(f -> ResourceFile.listeners(f.entries()).size()).orElse(0));
      file.put("clusters", c.file().map(f -> ResourceFile.clusters(f.entries()).size()).orElse(0));
      file.put("problems", c.problems().stream().map(LintProblem::tree).toList());
      file.put("error", c.error().orElse(null));
      files.add(file);
      errors +=
          (int)
              c.problems().stream().filter(p -> p.severity() == LintProblem.Severity.error).count();
      warnings +=
          (int)
              c.problems().stream()
                  .filter(p -> p.severity() == LintProblem.Severity.warning)
                  .count();
    }
    root.put("files", files);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("files", checked.size());
    summary.put(
        "clean",
        checked.stream().filter(c -> c.error().isEmpty() && c.problems().isEmpty()).count());
    summary.put("withProblems", checked.stream().filter(c -> !c.problems().isEmpty()).count());
    summary.put("unreadable", checked.stream().filter(c -> c.error().isPresent()).count());
    summary.put("errors", errors);
    summary.put("warnings", warnings);
    root.put("summary", summary);
    return root;
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
