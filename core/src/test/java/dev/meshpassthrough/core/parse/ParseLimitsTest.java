package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.at;
import static dev.meshpassthrough.core.parse.Parsing.onlyProblem;
import static dev.meshpassthrough.core.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.WrittenMatch;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParseLimitsTest {
  private static final String BILLION_LAUGHS =
      """
      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
      b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
      c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
      d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
      e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
      f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
      g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
      h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
      i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
      """;

  @Test
  void withers_changeOneLimitAndKeepTheOthers() {
    ParseLimits limits =
        ParseLimits.defaults()
            .withMaxInputBytes(64)
            .withMaxNestingDepth(3)
            .withMaxAliases(0)
            .withMaxDocuments(2)
            .withMaxEntries(5);

    assertThat(limits).isEqualTo(new ParseLimits(64, 3, 0, 2, 5));
    assertThat(ParseLimits.defaults().withMaxEntries(7))
        .isEqualTo(new ParseLimits(16 * 1024 * 1024, 64, 50, 10_000, 7));
    assertThat(onlyProblem(parse("a: &a [x]\nb: *a\n", limits)).message())
        .isEqualTo("input uses more YAML aliases than the limit maxAliases=0");
  }

  @Test
  void billionLaughs_isStoppedByTheAliasLimit() {
    ParseProblem problem = onlyProblem(BILLION_LAUGHS);

    assertThat(problem.message())
        .isEqualTo("input uses more YAML aliases than the limit maxAliases=50");
    assertThat(problem.location().line()).isEqualTo(7);
  }

  @Test
  void billionLaughs_withManyAliasesAllowed_isStoppedByTheExpansionBudget() {
    ParseLimits generous = new ParseLimits(1024 * 1024, 64, 1000, 10, 1000);

    ParseProblem problem = onlyProblem(parse(BILLION_LAUGHS, generous));

    assertThat(problem.message())
        .startsWith("YAML aliases expand this document to more than 1048576 values")
        .contains("maxInputBytes=1048576");
  }

  @Test
  void doublingAliasChain_isStoppedByTheExpansionBudget() {
    StringBuilder text = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i < 40; i++) {
      text.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [*a")
          .append(i - 1)
          .append(", *a")
          .append(i - 1)
          .append("]\n");
    }

    ParseProblem problem =
        onlyProblem(parse(text.toString(), new ParseLimits(1 << 20, 64, 100, 10, 1000)));

    assertThat(problem.message()).contains("maxInputBytes=1048576");
  }

  @Test
  void deepFlowNesting_isAProblemNamingTheLimit() {
    ParseProblem problem = onlyProblem("[".repeat(5000) + "]".repeat(5000));

    assertThat(problem.message())
        .isEqualTo("maps and lists are nested deeper than the limit maxNestingDepth=64");
    assertThat(problem.location().line()).isEqualTo(1);
    assertThat(problem.location().column()).isEqualTo(65);
  }

  @Test
  void deepBlockNesting_isAProblemNamingTheLimit() {
    StringBuilder text = new StringBuilder();
    for (int depth = 0; depth < 5000; depth++) {
      text.append(" ".repeat(depth)).append("k:\n");
    }

    assertThat(onlyProblem(text.toString()).message()).contains("maxNestingDepth=64");
  }

  @Test
  void deepJsonNesting_isAProblemNamingTheLimit() {
    assertThat(onlyProblem("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)).message())
        .contains("maxNestingDepth=64");
  }

  @Test
  void nestingWithinTheLimit_isRead() {
    ParseLimits limits = new ParseLimits(1 << 20, 5, 10, 10, 100);

    assertThat(parse("default: {appendMatch: [{type: IP}]}", limits).problems()).isEmpty();
    assertThat(onlyProblem(parse("default: {appendMatch: [{type: [[IP]]}]}", limits)).message())
        .contains("maxNestingDepth=5");
  }

  @Test
  void textOverTheSizeLimit_isAProblemBeforeAnyParsing() {
    ParseLimits limits = new ParseLimits(100, 64, 50, 10, 100);

    ParseProblem problem =
        onlyProblem(parse("targetRef: {kind: Mesh}\n# " + "x".repeat(200), limits));

    assertThat(problem.message())
        .isEqualTo("input is larger than the limit maxInputBytes=100 bytes");
    assertThat(problem.location().line()).isEqualTo(1);
  }

  @Test
  void textSizeLimit_countsUtf8Bytes() {
    ParseLimits limits = new ParseLimits(40, 64, 50, 10, 100);

    assertThat(parse("name: \"" + "ü".repeat(15) + "\"\ntype: MeshPassthrough", limits).problems())
        .singleElement()
        .extracting(ParseProblem::message)
        .asString()
        .contains("maxInputBytes=40");
  }

  @Test
  void endlessStream_isCutAtTheSizeLimit() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }
        };

    ParseResult result =
        PolicyParser.create(new ParseLimits(1000, 64, 50, 10, 100)).parse(endless, "<stdin>");

    ParseProblem problem = onlyProblem(result);
    assertThat(problem.message())
        .isEqualTo("input is larger than the limit maxInputBytes=1000 bytes");
    assertThat(problem.location().source()).isEqualTo("<stdin>");
  }

  @Test
  void streamExactlyAtTheSizeLimit_isRead() {
    byte[] bytes = Parsing.utf8("default: {passthroughMode: All}\n");
    ParseLimits limits = new ParseLimits(bytes.length, 64, 50, 10, 100);

    ParseResult result =
        PolicyParser.create(limits).parse(new ByteArrayInputStream(bytes), "<stdin>");

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(1);
  }

  @Test
  void tooManyDocuments_isAProblemAfterTheDocumentsWithinTheLimit() {
    ParseLimits limits = new ParseLimits(1 << 20, 64, 50, 2, 100);

    ParseResult result = parse("default: {}\n---\ndefault: {}\n---\ndefault: {}\n", limits);

    assertThat(result.documents()).hasSize(2);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.message())
                  .isEqualTo("input has more documents than the limit maxDocuments=2");
              assertThat(problem.location().line()).isEqualTo(5);
            });
  }

  @Test
  void listWithTooManyEntries_isAProblemNamingTheLimit() {
    ParseLimits limits = new ParseLimits(1 << 20, 64, 50, 10, 3);

    ParseProblem problem = onlyProblem(parse("targetRef:\n  proxyTypes: [a, b, c, d]\n", limits));

    assertThat(problem.message()).isEqualTo("list has more entries than the limit maxEntries=3");
    assertThat(problem.location().column()).isEqualTo(25);
  }

  @Test
  void listWithTooManyMaps_isAProblemAtTheStartOfTheFirstMapTooMany() {
    ParseLimits limits = new ParseLimits(1 << 20, 64, 50, 10, 2);

    ParseProblem problem =
        onlyProblem(
            parse(
                "default:\n  appendMatch:\n  - type: IP\n  - type: IP\n  - type: IP\n"
                    + "    value: 1.1.1.1\n",
                limits));

    assertThat(at(problem, 5, 5, ""))
        .isEqualTo("list has more entries than the limit maxEntries=2");
  }

  @Test
  void numberLongerThanTheReaderTakes_isAProblemSayingSo() {
    ParseProblem problem =
        onlyProblem("default:\n  appendMatch:\n  - port: " + "9".repeat(1001) + "\n");

    assertThat(at(problem, 3, 1012, ""))
        .isEqualTo("a number is longer than 1000 digits, the most the reader takes");
  }

  @Test
  void jsonKeyLongerThanTheReaderTakes_isAProblemSayingSo() {
    ParseProblem problem = onlyProblem("{\"" + "k".repeat(60_000) + "\": 1}");

    assertThat(problem.message())
        .isEqualTo("a key is longer than 50000 characters, the most the reader takes");
  }

  @Test
  void mapWithTooManyEntries_isAProblemNamingTheLimit() {
    ParseLimits limits = new ParseLimits(1 << 20, 64, 50, 10, 3);

    ParseProblem problem =
        onlyProblem(parse("type: MeshPassthrough\nlabels: {a: 1, b: 2, c: 3, d: 4}\n", limits));

    assertThat(problem.message()).isEqualTo("map has more entries than the limit maxEntries=3");
  }

  @Test
  void hundredThousandMatches_areReadInOnePass() {
    int count = 100_000;
    StringBuilder text =
        new StringBuilder(count * 90)
            .append("type: MeshPassthrough\nname: big\nspec:\n  default:\n    appendMatch:\n");
    for (int i = 0; i < count; i++) {
      text.append("    - type: Domain\n      value: host")
          .append(i)
          .append(".example.com\n      port: ")
          .append(1 + i % 65535)
          .append("\n      protocol: tls\n");
    }

    ParseResult result = parse(text.toString());

    assertThat(result.problems()).isEmpty();
    List<WrittenMatch> matches =
        result.documents().get(0).spec().conf().orElseThrow().appendMatch().orElseThrow();
    assertThat(matches).hasSize(count);
    assertThat(matches.get(count - 1).value()).contains("host" + (count - 1) + ".example.com");
  }
}
