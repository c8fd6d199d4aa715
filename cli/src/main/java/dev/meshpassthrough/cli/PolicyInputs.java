package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code FILE|DIR|-} arguments of a command into documents and problems. */
final class PolicyInputs {
  /** The argument that means standard input. */
  static final String STDIN = "-";

  private PolicyInputs() {}

  /**
   * Reads every input in argument order; {@code -} reads standard input. The command line refuses
   * {@code -} given twice ({@link StandardInputOnce}); a second one here reads nothing more.
   */
  static ParseResult read(List<String> inputs, Streams streams, PolicyParser parser) {
    List<PolicyDocument> documents = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    List<ParseProblem> notes = new ArrayList<>();
    boolean stdinRead = false;
    for (String input : inputs) {
      ParseResult result;
      if (input.equals(STDIN)) {
        if (stdinRead) {
          continue;
        }
        stdinRead = true;
        result = parser.parse(streams.in(), "<stdin>");
      } else {
        result = parser.parse(Path.of(input));
      }
      documents.addAll(result.documents());
      problems.addAll(result.problems());
      notes.addAll(result.notes());
    }
    return new ParseResult(documents, problems, notes);
  }

  /**
   * {@code text} with control characters written as Java unicode escapes (a line feed as backslash,
   * u, 000a), so that a value holding a line break cannot split one problem over two lines.
   */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /**
   * Prints every note ({@code file:1:1: note: skipped: ...}) and then every problem on its own line
   * of standard error.
   */
  static void report(ParseResult parsed, Streams streams) {
    for (ParseProblem note : parsed.notes()) {
      streams.err().println(note.location() + ": note: " + oneLine(note.message()));
    }
    for (ParseProblem problem : parsed.problems()) {
      streams.err().println(problem);
    }
  }
}
