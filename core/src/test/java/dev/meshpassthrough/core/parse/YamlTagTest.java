package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML tags (issue 13, defect 6): a tag the reader does not know was dropped without a word ({@code
 * type: !foo Domain} read as {@code Domain}); it is refused, with its line and column. YAML's
 * standard tags keep working.
 */
class YamlTagTest {
  private static final String MESSAGE =
      " is not read here: only YAML's standard tags are (!!str, !!int, !!float, !!bool, "
          + "!!null, !!map, !!seq, ...); write the value without the tag";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "on a value       | 'type: MeshPassthrough\\nname: !foo web\\n'                                   | 2:7  | !foo",
        "on type          | 'type: !Kind MeshPassthrough\\nname: web\\n'                                  | 1:7  | !Kind",
        "on a port        | 'spec:\\n  default:\\n    appendMatch:\\n    - {type: IP, value: 1.2.3.4, port: !p 80}\\n' | 4:40 | !p",
        "on a map         | 'type: MeshPassthrough\\nname: web\\nspec: !Spec\\n  targetRef: {kind: Mesh}\\n' | 3:7  | !Spec",
        "on a list        | 'spec:\\n  default:\\n    appendMatch: !list []\\n'                          | 3:18 | !list",
        "on a key         | 'type: MeshPassthrough\\n!k name: web\\n'                                     | 2:1  | !k",
        "non-specific     | 'type: MeshPassthrough\\nname: ! web\\n'                                      | 2:7  | !",
        "verbatim         | 'type: MeshPassthrough\\nname: !<tag:example.com,2026:x> web\\n'             | 2:7  | tag:example.com,2026:x",
        "unknown standard | 'type: MeshPassthrough\\nname: !!python/name web\\n'                          | 2:7  | !!python/name",
      })
  void unknownTag_isAProblemAtItsLineAndColumn(String where, String yaml, String at, String tag) {
    ParseProblem problem = Parsing.onlyProblem(Parsing.parse(yaml.replace("\\n", "\n")));

    assertThat(problem.toString())
        .isEqualTo(Parsing.SOURCE + ":" + at + ": invalid YAML: YAML tag " + tag + MESSAGE);
  }

  @Test
  void standardTags_areReadAsYamlDefinesThem() {
    PolicyDocument document =
        Parsing.onlyDocument(
            """
        type: !!str MeshPassthrough
        name: !!str 123
        spec: !!map
          targetRef: {kind: !!str Mesh}
          default:
            passthroughMode: !!str Matched
            appendMatch: !!seq
            - {type: Domain, value: example.com, port: !!int "443", protocol: tls}
        """);

    assertThat(document.name()).contains("123");
    assertThat(document.spec().conf().orElseThrow().appendMatch().orElseThrow())
        .singleElement()
        .satisfies(match -> assertThat(match.toString()).contains("443"));
  }

  @Test
  void json_hasNoTagsAndIsReadAsBefore() {
    PolicyDocument document =
        Parsing.onlyDocument("{\"type\": \"MeshPassthrough\", \"name\": \"!foo\"}");

    assertThat(document.name()).contains("!foo");
  }
}
