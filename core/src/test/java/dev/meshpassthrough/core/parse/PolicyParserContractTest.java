package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParserContractTest {
  private static final PolicyParser PARSER = PolicyParser.create();

  @Test
  void nullArguments_areCallerMistakesAndThrow() {
    assertThatThrownBy(() -> PARSER.parse((String) null, "x"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PARSER.parse("a: 1", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PARSER.parse((InputStream) null, "x"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PARSER.parse((Path) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PolicyParser.create(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void streamAndStringInput_readAlike() {
    String text =
        "type: MeshPassthrough\nname: same\nspec: {default: {appendMatch: [{type: IP, value: 1.1.1.1}]}}\n";

    ParseResult fromString = PARSER.parse(text, "<stdin>");
    ParseResult fromStream = PARSER.parse(new ByteArrayInputStream(Parsing.utf8(text)), "<stdin>");

    assertThat(fromStream).isEqualTo(fromString);
  }

  @Test
  void parser_isShareableAcrossThreads() throws Exception {
    String text = "default: {appendMatch: [{type: IP, value: 1.1.1.1, port: 80}]}";
    ParseResult expected = PARSER.parse(text, "t");
    Thread[] threads = new Thread[8];
    ParseResult[] results = new ParseResult[threads.length];
    for (int i = 0; i < threads.length; i++) {
      int slot = i;
      threads[i] =
          new Thread(
              () -> {
                for (int round = 0; round < 200; round++) {
                  results[slot] = PARSER.parse(text, "t");
                }
              });
      threads[i].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(results).containsOnly(expected);
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "{",
        "[",
        "}",
        "]]",
        "\"",
        "'",
        "&",
        "*",
        "!",
        "%",
        "@",
        "`",
        "key: [",
        "- - -",
        "? ",
        ": x",
        "!!binary zz",
        "!!int x",
        "a: !!float y",
        "a: &x",
        "--- |\n  text",
        "\t- a",
        "a:\n\t- b",
        "{\"a\": }",
        "targetRef: &a {kind: *a}",
        "%YAML 1.1\n---\na: 1",
        "%YAML 9.9\n---\na: 1",
        "default: {appendMatch: [{port: !!binary AAAA}]}",
      })
  void oddInput_neverThrows_andEveryProblemHasFileLineAndColumn(String text) {
    assertWellFormed(PARSER.parse(text, "odd.yaml"));
  }

  @Property(tries = 300, seed = "20260101")
  void arbitraryYamlishText_neverThrows(@ForAll("yamlish") String text) {
    assertWellFormed(PARSER.parse(text, "fuzz.yaml"));
  }

  @Property(tries = 200, seed = "20260102")
  void arbitraryBytes_neverThrow(@ForAll byte[] bytes) {
    assertWellFormed(PARSER.parse(new ByteArrayInputStream(bytes), "fuzz.bin"));
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "targetRef:",
            "default:",
            "appendMatch:",
            "- ",
            "port: ",
            "type: IP",
            "value: ",
            "\n",
            "  ",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "&a ",
            "*a",
            "---\n",
            "\"",
            "'",
            "80",
            "~",
            "#",
            "\t",
            "kind: MeshPassthrough\n",
            "apiVersion: kuma.io/v1alpha1\n",
            "type: MeshPassthrough\n",
            "<<: ",
            "? ");
    return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
  }

  private static void assertWellFormed(ParseResult result) {
    assertThat(result.documents().isEmpty() && result.problems().isEmpty())
        .as("reads something or says why not")
        .isFalse();
    assertThat(result.problems())
        .allSatisfy(
            problem -> {
              assertThat(problem.location().line()).isPositive();
              assertThat(problem.location().column()).isPositive();
              assertThat(problem.message())
                  .isNotBlank()
                  .doesNotContain("Exception")
                  .doesNotContainPattern("\\p{Cntrl}");
            });
  }
}
