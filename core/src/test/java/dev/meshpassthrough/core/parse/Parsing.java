package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import java.nio.charset.StandardCharsets;

/** Shortcuts shared by the parser tests: one parser, sources named {@code test.yaml}. */
final class Parsing {
  static final String SOURCE = "test.yaml";
  static final PolicyParser PARSER = PolicyParser.create();

  private Parsing() {}

  static ParseResult parse(String text) {
    return PARSER.parse(text, SOURCE);
  }

  static ParseResult parse(String text, ParseLimits limits) {
    return PolicyParser.create(limits).parse(text, SOURCE);
  }

  static ParseResult parseBytes(byte[] bytes) {
    return PARSER.parse(new java.io.ByteArrayInputStream(bytes), SOURCE);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The single document {@code text} holds, asserting that reading it found no problem. */
  static PolicyDocument onlyDocument(String text) {
    ParseResult result = parse(text);
    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(1);
    return result.documents().get(0);
  }

  /** The single problem reading {@code result} found, asserting that no document came back. */
  static ParseProblem onlyProblem(ParseResult result) {
    assertThat(result.documents()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    return result.problems().get(0);
  }

  static ParseProblem onlyProblem(String text) {
    return onlyProblem(parse(text));
  }

  /** Asserts file, line, column and path of {@code problem}, and returns its message. */
  static String at(ParseProblem problem, int line, int column, String path) {
    assertThat(problem.location().source()).isEqualTo(SOURCE);
    assertThat(problem.location().line()).as("line of %s", problem).isEqualTo(line);
    assertThat(problem.location().column()).as("column of %s", problem).isEqualTo(column);
    assertThat(problem.path()).as("path of %s", problem).hasToString(path);
    return problem.message();
  }
}
