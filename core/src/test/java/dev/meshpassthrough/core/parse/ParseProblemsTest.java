package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.at;
import static dev.meshpassthrough.core.parse.Parsing.onlyProblem;
import static dev.meshpassthrough.core.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseProblemsTest {

  @Test
  void unknownField_isReportedWithSuggestion() {
    ParseProblem problem = onlyProblem("default:\n  appendMatches: []\n");

    assertThat(at(problem, 2, 3, "spec.default.appendMatches"))
        .isEqualTo(
            "unknown field \"appendMatches\": did you mean appendMatch? Allowed fields: passthroughMode, appendMatch");
  }

  @Test
  void keyWithControlCharacters_isRenderedOnOneLine() {
    ParseProblem problem = onlyProblem("{\"default\": {\"append\\nMatch\\u0007\": []}}");

    assertThat(problem.path().lastField()).isEqualTo("append\nMatch\u0007");
    assertThat(problem.toString())
        .doesNotContain("\n")
        .startsWith("test.yaml:1:14: spec.default.append\\nMatch\\u0007: ")
        .endsWith(
            "unknown field \"append\\nMatch\\u0007\": did you mean appendMatch? Allowed fields: passthroughMode, appendMatch");
  }

  @Test
  void unknownFieldDifferingOnlyInCase_isReportedWithSuggestion() {
    ParseProblem problem =
        onlyProblem(
            "type: MeshPassthrough\nname: a\nspec:\n  default:\n    passthroughmode: All\n");

    assertThat(at(problem, 5, 5, "spec.default.passthroughmode"))
        .contains("did you mean passthroughMode?");
  }

  @Test
  void unknownMatchFields_suggestTheNearestAllowedField() {
    ParseResult result =
        parse("default:\n  appendMatch:\n  - tpye: IP\n    prot: 80\n    vaule: 1.1.1.1\n");

    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .anySatisfy(m -> assertThat(m).contains("\"tpye\": did you mean type?"))
        .anySatisfy(m -> assertThat(m).contains("\"prot\": did you mean port?"))
        .anySatisfy(m -> assertThat(m).contains("\"vaule\": did you mean value?"));
  }

  @Test
  void unknownFieldFarFromAnyAllowed_namesTheAllowedFieldsOnly() {
    ParseProblem problem = onlyProblem("targetRef:\n  kind: Mesh\n  selector: {}\n");

    assertThat(at(problem, 3, 3, "spec.targetRef.selector"))
        .isEqualTo(
            "unknown field \"selector\". Allowed fields: "
                + "kind, labels, name, namespace, sectionName, tags, proxyTypes, mesh");
  }

  @Test
  void fieldWrittenOneLevelTooHigh_saysWhereItBelongs() {
    ParseProblem inSpec =
        onlyProblem("type: MeshPassthrough\nname: a\nspec:\n  passthroughMode: All\n");
    assertThat(at(inSpec, 4, 3, "spec.passthroughMode"))
        .startsWith("unknown field \"passthroughMode\": it belongs under spec.default");

    ParseProblem inKubernetes =
        onlyProblem("apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nname: a\n");
    assertThat(at(inKubernetes, 3, 1, "name"))
        .startsWith("unknown field \"name\": it belongs under metadata");
  }

  @Test
  void yamlMergeKey_isReportedAsUnsupported() {
    ParseResult result =
        parse(
            "base: &base {type: IP}\ndefault:\n  appendMatch:\n  - <<: *base\n    value: 1.1.1.1\n");

    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .anySatisfy(m -> assertThat(m).startsWith("YAML merge keys (<<) are not supported"));
  }

  @Test
  void duplicateKey_isReportedWithBothPositions() {
    ParseProblem problem =
        onlyProblem("default:\n  appendMatch:\n  - type: IP\n    value: 1.1.1.1\n    type: CIDR\n");

    assertThat(at(problem, 5, 5, "spec.default.appendMatch[0].type"))
        .isEqualTo("duplicate key \"type\", first written at line 3, column 5");
  }

  @Test
  void duplicateKeyInJson_isReportedToo() {
    ParseProblem problem =
        onlyProblem("{\"targetRef\": {\"kind\": \"Mesh\", \"kind\": \"Dataplane\"}}");

    assertThat(at(problem, 1, 32, "spec.targetRef.kind")).startsWith("duplicate key \"kind\"");
  }

  @Test
  void unsupportedKind_isOneProblemNamingTheKind() {
    ParseProblem problem =
        onlyProblem(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n");

    assertThat(at(problem, 2, 7, "kind"))
        .isEqualTo("unsupported kind Deployment: only MeshPassthrough is read");
  }

  @Test
  void unsupportedApiVersion_isAProblemNamingTheValue() {
    ParseProblem problem = onlyProblem("apiVersion: kuma.io/v1beta1\nkind: MeshPassthrough\n");

    assertThat(at(problem, 1, 13, "apiVersion"))
        .isEqualTo("unsupported apiVersion \"kuma.io/v1beta1\": expected kuma.io/v1alpha1");
  }

  @Test
  void missingApiVersion_isAProblem() {
    ParseProblem problem = onlyProblem("kind: MeshPassthrough\nmetadata: {name: a}\n");

    assertThat(at(problem, 1, 1, "apiVersion"))
        .isEqualTo("missing apiVersion: expected kuma.io/v1alpha1");
  }

  @Test
  void unsupportedUniversalType_isAProblem() {
    ParseProblem problem = onlyProblem("type: MeshTrafficPermission\nname: a\nmesh: default\n");

    assertThat(at(problem, 1, 7, "type"))
        .isEqualTo("unsupported type MeshTrafficPermission: only MeshPassthrough is read");
  }

  @Test
  void universalWithoutType_isAProblem() {
    ParseProblem problem = onlyProblem("name: a\nmesh: default\nspec: {}\n");

    assertThat(at(problem, 1, 1, "type")).isEqualTo("missing type: expected MeshPassthrough");
  }

  @Test
  void textThatIsNotYaml_isOneProblemWithTheReadersPosition() {
    ParseProblem problem = onlyProblem("targetRef:\n  kind: Mesh\ndefault: a: b\n");

    assertThat(at(problem, 3, 11, ""))
        .isEqualTo("invalid YAML: mapping values are not allowed here");
  }

  @Test
  void badIndentation_isOneProblemWithTheReadersPosition() {
    ParseProblem problem = onlyProblem("targetRef:\n  kind: Mesh\n extra: 1\n");

    assertThat(problem.location().line()).isEqualTo(3);
    assertThat(problem.message())
        .startsWith("invalid YAML: ")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void textThatIsNotJson_isOneProblemWithTheReadersPosition() {
    ParseProblem problem = onlyProblem("{\"targetRef\": {\"kind\" \"Mesh\"}}");

    assertThat(at(problem, 1, 23, "")).startsWith("invalid JSON: Unexpected character");
  }

  @Test
  void unterminatedJson_doesNotEchoTheInput() {
    ParseProblem problem = onlyProblem("{\"targetRef\": {\"kind\": \"SECRET-LOOKING-VALUE\"");

    assertThat(problem.message())
        .startsWith("invalid ")
        .doesNotContain("SECRET-LOOKING-VALUE")
        .doesNotContain("[Source");
  }

  @Test
  void complexYamlKey_isAProblem() {
    ParseProblem problem = onlyProblem("? [a, b]\n: 1\n");

    assertThat(problem.message())
        .isEqualTo("invalid YAML: map keys must be single values, not maps, lists or aliases");
    assertThat(problem.location().line()).isEqualTo(1);
  }

  @Test
  void unknownAlias_isAProblem() {
    ParseProblem problem = onlyProblem("targetRef: *missing\n");

    assertThat(at(problem, 1, 12, ""))
        .isEqualTo(
            "invalid YAML: alias *missing refers to no complete anchor &missing before it in this document");
  }

  @Test
  void badDocument_doesNotStopTheOthers() {
    ParseResult result =
        parse(
            """
        apiVersion: apps/v1
        kind: Deployment
        ---
        targetRef: {kind: Mesh}
        defaults: {}
        ---
        type: MeshPassthrough
        name: good
        """);

    assertThat(result.documents())
        .extracting(PolicyDocument::name)
        .map(n -> n.orElseThrow())
        .containsExactly("good");
    assertThat(result.problems()).extracting(p -> p.location().line()).containsExactly(2, 5);
    assertThat(result.problems().get(1).message()).contains("did you mean default?");
  }

  @Test
  void textBrokenFromSomePointOn_isReportedOnceAndStopsThatInput() {
    ParseResult result =
        parse(
            """
        type: MeshPassthrough
        name: first
        ---
        type: MeshPassthrough
        name: [broken
        ---
        type: MeshPassthrough
        name: never-reached
        """);

    assertThat(result.documents()).extracting(d -> d.name().orElseThrow()).containsExactly("first");
    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).message()).startsWith("invalid YAML: ");
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n", "---\n...\n---\n", "~\n"})
  void inputWithoutAnyDocument_isOneProblem(String text) {
    assertThat(at(onlyProblem(text), 1, 1, "")).isEqualTo("no MeshPassthrough document found");
  }

  @Test
  void problems_renderAsFileLineColumnPathAndMessage() {
    ParseProblem problem = onlyProblem("default:\n  appendMatch:\n  - port: \"80\"\n");

    assertThat(problem)
        .hasToString(
            "test.yaml:3:11: spec.default.appendMatch[0].port: expected an integer port, got string \"80\"");
  }
}
