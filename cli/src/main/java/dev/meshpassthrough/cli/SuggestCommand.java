package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshpassthrough suggest}: a {@code MeshPassthrough} policy that allows the connections a
 * log observed, from {@link PolicySuggester}.
 *
 * <p>Reads {@code --connections} as {@code replay} does. Prints the document on standard output: in
 * YAML under a header comment that states the input, the entries {@code --min-count} left out and
 * what was widened; in JSON without it. Malformed lines and left-out entries are always listed on
 * standard error, and with {@code --output json} the widening notes too, so that nothing is lost
 * silently. The document is read back and validated strictly before it is printed.
 */
@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = {
      "Suggest a MeshPassthrough policy (passthroughMode Matched) whose appendMatch allows every connection "
          + "observed in a log: TLS by SNI, HTTP by Host (Domain, port and the protocol seen), everything else by "
          + "the dialed IP (IP, port, protocol). The policy validates strictly; replaying the same connections "
          + "against it denies none.",
      "",
      "--connections is read as replay reads it: CSV protocol,dst_ip,dst_port,sni_or_host, an Envoy JSON access "
          + "log, or the audit log of --enforcement audit (see the README). Malformed lines are counted and listed "
          + "on standard error with their line numbers.",
      "",
      "Exit status: 0 the policy was written, 1 --strict met a malformed line, no connection was left to "
          + "allow (none read, or all left out by --min-count), or the policy would have more than 100000 entries, "
          + "2 the connections could not be read, their format is unknown, the name or mesh is not valid, or the "
          + "command line was misused."
    })
final class SuggestCommand implements Callable<Integer>, StreamsAware {
  @Mixin ConnectionInput input = new ConnectionInput();

  @Option(
      names = "--min-count",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Leave out an entry fewer than N connections needed; left-out entries are listed on standard error "
              + "and in the header comment (default: ${DEFAULT-VALUE}).")
  int minCount;

  @Option(
      names = "--wildcard-threshold",
      paramLabel = "K",
      description =
          "Replace K or more sibling names (same parent) of one port and protocol by *.parent, never for a "
              + "public suffix (*.com, *.co.uk, *.github.io) nor a parent outside one; K is at least 2.")
  @Nullable Integer wildcardThreshold;

  @Option(
      names = "--cidr-min-prefix",
      paramLabel = "P",
      description =
          "Aggregate the IPv4 addresses of one port and protocol into the smallest CIDRs that cover them, "
              + "none wider than /P (0-32). Without it IPv4 addresses stay IP entries.")
  @Nullable Integer cidrMinPrefix;

  @Option(
      names = "--cidr6-min-prefix",
      paramLabel = "P",
      description =
          "As --cidr-min-prefix, for IPv6 addresses (0-128). Without it IPv6 addresses stay IP entries.")
  @Nullable Integer cidr6MinPrefix;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      converter = ForSuggest.class,
      completionCandidates = ForSuggest.class,
      description = "yaml or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--format",
      paramLabel = "SHAPE",
      defaultValue = "universal",
      description = "universal or kubernetes (default: ${DEFAULT-VALUE}).")
  SuggestionDocument.Shape shape;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "suggested-passthrough",
      description = "The policy's name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--mesh",
      paramLabel = "MESH",
      defaultValue = "default",
      description = "The mesh the policy belongs to (default: ${DEFAULT-VALUE}).")
  String mesh;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    PolicySuggester suggester = PolicySuggester.of(options());
    ConnectionInput.Result read = input.read(streams, suggester::accept);
    if (read.summary().isEmpty()) {
      return read.exitCode();
    }
    String source = input.source();
    printMalformed(source, read.malformed());
    PolicySuggester.Suggestion suggestion = suggester.suggest();
    for (PolicySuggester.LeftOut left : suggestion.leftOut()) {
      streams.err().println("meshpassthrough: left out by --min-count: " + leftOut(left));
    }
    List<Match> matches = suggestion.conf().matches();
    if (matches.isEmpty()) {
      streams
          .err()
          .println(
              "meshpassthrough: "
                  + source
                  + ": no connection to allow ("
                  + suggestion.connections()
                  + " read, "
                  + suggestion.leftOutConnections()
                  + " left out by --min-count "
                  + minCount
                  + "); nothing written");
      return ExitCode.INVALID;
    }
    if (output == OutputFormat.json) {
      suggestion.notes().forEach(n -> streams.err().println("meshpassthrough: " + n));
    }
    int most = ParseLimits.defaults().maxEntries();
    if (matches.size() > most) {
      streams
          .err()
          .println(
              String.format(
                  Locale.ROOT,
                  "meshpassthrough: %s: the suggestion has %d entries, more than the %d a policy may"
                      + " hold; narrow it with --cidr-min-prefix, --cidr6-min-prefix,"
                      + " --wildcard-threshold or --min-count; nothing written",
                  source,
                  matches.size(),
                  most));
      return ExitCode.INVALID;
    }
    SuggestionDocument document = new SuggestionDocument(name, mesh, shape);
    String body = document.body(matches, output);
    // Validated without the header, which holds only comments and may be long.
    List<Violation> violations = SuggestionDocument.violations(body);
    if (!violations.isEmpty()) {
      if (violations.stream().allMatch(SuggestionDocument::aboutTheName)) {
        violations.forEach(v -> streams.err().println("meshpassthrough: " + v));
        return ExitCode.UNREADABLE;
      }
      throw new IllegalStateException("the suggestion does not validate: " + violations);
    }
    streams
        .out()
        .print(SuggestionDocument.withHeader(body, header(source, read, suggestion), output));
    streams.out().flush();
    return ExitCode.OK;
  }

  private PolicySuggester.Options options() {
    try {
      return new PolicySuggester.Options(
          minCount, optional(wildcardThreshold), optional(cidrMinPrefix), optional(cidr6MinPrefix));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.valueOf(e.getMessage()));
    }
  }

  private static OptionalInt optional(@Nullable Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  private void printMalformed(String source, MalformedLines malformed) {
    for (MalformedLines.Line line : malformed.first()) {
      streams
          .err()
          .println(
              "meshpassthrough: "
                  + source
                  + ": line "
                  + line.number()
                  + " is malformed: "
                  + line.reason());
    }
    long more = malformed.count() - malformed.first().size();
    if (more > 0) {
      streams
          .err()
          .println("meshpassthrough: " + source + ": " + more + " more malformed lines not listed");
    }
  }

  private List<String> header(
      String source, ConnectionInput.Result read, PolicySuggester.Suggestion suggestion) {
    List<String> header = new ArrayList<>();
    header.add(
        String.format(
            Locale.ROOT,
            "Suggested by meshpassthrough suggest from %s (%s): %d lines, %d connections, %d malformed.",
            source,
            read.summary().orElseThrow().format(),
            read.summary().orElseThrow().lines(),
            suggestion.connections(),
            read.malformed().count()));
    if (!suggestion.leftOut().isEmpty()) {
      header.add(
          String.format(
              Locale.ROOT,
              "Left out by --min-count %d: %d connections needing %d entries:",
              minCount,
              suggestion.leftOutConnections(),
              suggestion.leftOut().size()));
      suggestion.leftOut().forEach(l -> header.add("  " + leftOut(l)));
    }
    if (!suggestion.notes().isEmpty()) {
      header.add("Widened:");
      suggestion.notes().forEach(n -> header.add("  " + n));
    }
    return header;
  }

  private static String leftOut(PolicySuggester.LeftOut left) {
    return left.entry()
        + " ("
        + left.count()
        + (left.count() == 1 ? " connection)" : " connections)");
  }

  /** {@code suggest}: the policy in YAML or JSON. */
  static final class ForSuggest extends OutputFormat.Choices {
    ForSuggest() {
      super("suggest", OutputFormat.yaml, OutputFormat.json);
    }
  }
}
