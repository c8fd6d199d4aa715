package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.at;
import static dev.meshpassthrough.core.parse.Parsing.onlyDocument;
import static dev.meshpassthrough.core.parse.Parsing.onlyProblem;
import static dev.meshpassthrough.core.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecBindingTest {

  @Test
  void everyTargetRefField_isBoundAsWritten() {
    WrittenTargetRef targetRef =
        onlyDocument(
                """
        targetRef:
          kind: MeshSubset
          labels: {app: web}
          name: backend
          namespace: kuma-demo
          sectionName: http
          tags: {kuma.io/zone: east, version: 2}
          proxyTypes: [Sidecar, Gateway]
          mesh: other
        """)
            .spec()
            .targetRef()
            .orElseThrow();

    assertThat(targetRef.kind()).contains("MeshSubset");
    assertThat(targetRef.labels().orElseThrow()).containsExactly(Map.entry("app", "web"));
    assertThat(targetRef.name()).contains("backend");
    assertThat(targetRef.namespace()).contains("kuma-demo");
    assertThat(targetRef.sectionName()).contains("http");
    assertThat(targetRef.tags().orElseThrow())
        .containsExactly(Map.entry("kuma.io/zone", "east"), Map.entry("version", "2"));
    assertThat(targetRef.proxyTypes()).contains(List.of("Sidecar", "Gateway"));
    assertThat(targetRef.mesh()).contains("other");
  }

  @Test
  void numericProtocol_bindsAsItsText() {
    WrittenMatch match =
        firstMatch("default: {appendMatch: [{type: test, value: 1.2.3.4, port: 0, protocol: 1}]}");

    assertThat(match.protocol()).contains("1");
    assertThat(match.port()).contains(BigInteger.ZERO);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "true     | true",
        "yes      | yes",
        "1.5      | 1.5",
        "0x1F     | 0x1F",
        "'01'     | 01",
        "\"\"     | ''",
      })
  void scalarsInStringFields_keepTheirWrittenText(String written, String expected) {
    WrittenMatch match = firstMatch("default: {appendMatch: [{type: IP, value: " + written + "}]}");

    assertThat(match.value()).contains(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "443, 443",
    "-1, -1",
    "0x50, 80",
    "1_000, 1000",
    "123456789012345678901234567890, 123456789012345678901234567890",
  })
  void integerPorts_ofAnySize_areBound(String written, String expected) {
    WrittenMatch match =
        firstMatch("default: {appendMatch: [{type: IP, value: 1.1.1.1, port: " + written + "}]}");

    assertThat(match.port()).contains(new BigInteger(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'\"80\"'     | expected an integer port, got string \"80\"",
        "80.5         | expected an integer port, got float 80.5",
        "true         | expected an integer port, got boolean true",
        "{a: 1}       | expected an integer port, got a map",
        "[80]         | expected an integer port, got a list",
      })
  void nonIntegerPorts_areProblemsAtThePort(String written, String expected) {
    ParseProblem problem =
        onlyProblem("default:\n  appendMatch:\n  - type: IP\n    port: " + written + "\n");

    assertThat(at(problem, 4, 11, "spec.default.appendMatch[0].port")).isEqualTo(expected);
  }

  @Test
  void nullValues_readAsAbsent() {
    PolicyDocument document =
        onlyDocument(
            """
        targetRef: null
        default:
          passthroughMode: null
          appendMatch: ~
        """);

    assertThat(document.spec().targetRef()).isEmpty();
    assertThat(document.spec().conf())
        .contains(new WrittenConf(Optional.empty(), Optional.empty()));
  }

  @Test
  void emptyValueAndNullMatchFields_readAsAbsent() {
    WrittenMatch match =
        firstMatch(
            "default:\n  appendMatch:\n  - type: IP\n    value:\n    port: null\n    protocol: ~\n");

    assertThat(match)
        .isEqualTo(
            new WrittenMatch(
                Optional.of("IP"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    "null"))); // a written null is kept, so that the validator can warn that the
    // entry is port-less
  }

  @Test
  void portText_keepsTheScalarAsWritten_besideTheNumberYamlReads() {
    WrittenMatch match =
        firstMatch("default:\n  appendMatch:\n  - {type: IP, value: 10.0.0.1, port: 0443}\n");

    assertThat(match.port()).contains(java.math.BigInteger.valueOf(291));
    assertThat(match.portText()).contains("0443");
    assertThat(firstMatch("default:\n  appendMatch:\n  - {type: IP, value: 10.0.0.1}\n").portText())
        .isEmpty();
  }

  @Test
  void nullDefault_readsAsAbsentConf() {
    assertThat(onlyDocument("targetRef: {kind: Mesh}\ndefault:\n").spec().conf()).isEmpty();
  }

  @Test
  void emptyAppendMatch_isPresentAndEmpty() {
    assertThat(onlyDocument("default: {appendMatch: []}").spec().conf().orElseThrow().appendMatch())
        .contains(List.of());
  }

  @Test
  void mapWhereAStringIsExpected_isAProblemSayingWhatWasFound() {
    ParseProblem problem = onlyProblem("default:\n  passthroughMode: {mode: All}\n");

    assertThat(at(problem, 2, 20, "spec.default.passthroughMode"))
        .isEqualTo("expected a string, got a map");
  }

  @Test
  void listWhereAStringIsExpected_isAProblem() {
    ParseProblem problem = onlyProblem("targetRef:\n  kind: [Mesh]\n");

    assertThat(at(problem, 2, 9, "spec.targetRef.kind")).isEqualTo("expected a string, got a list");
  }

  @Test
  void appendMatchThatIsNotAList_isAProblem() {
    ParseProblem problem = onlyProblem("default:\n  appendMatch:\n    type: IP\n");

    assertThat(at(problem, 3, 5, "spec.default.appendMatch"))
        .isEqualTo("expected a list, got a map");
  }

  @Test
  void nullOrScalarAppendMatchItems_areProblemsAtTheItem() {
    ParseResult result =
        parse("default:\n  appendMatch:\n  - ~\n  - type: IP\n  -\n  - github.com\n");

    assertThat(result.documents()).isEmpty();
    assertThat(result.problems()).hasSize(3);
    assertThat(at(result.problems().get(0), 3, 5, "spec.default.appendMatch[0]"))
        .isEqualTo("expected a match (a map of type, value, port and protocol), got null");
    assertThat(at(result.problems().get(1), 5, 4, "spec.default.appendMatch[2]"))
        .endsWith("got null");
    assertThat(at(result.problems().get(2), 6, 5, "spec.default.appendMatch[3]"))
        .endsWith("got string \"github.com\"");
  }

  @Test
  void labelValues_scalarsAreText_andMapsAreProblems() {
    PolicyDocument document =
        onlyDocument("type: MeshPassthrough\nname: a\nlabels: {count: 3, flag: true, empty: ~}\n");
    assertThat(document.labels())
        .containsOnly(Map.entry("count", "3"), Map.entry("flag", "true"), Map.entry("empty", ""));

    ParseProblem problem =
        onlyProblem("type: MeshPassthrough\nname: a\nlabels:\n  team: {name: x}\n");
    assertThat(at(problem, 4, 9, "labels.team")).isEqualTo("expected a string value, got a map");
  }

  @Test
  void proxyTypes_nullOrMapItemsAreProblems() {
    ParseResult result = parse("targetRef:\n  kind: Mesh\n  proxyTypes: [Sidecar, null, {a: b}]\n");

    assertThat(result.problems())
        .extracting(ParseProblem::path)
        .map(Object::toString)
        .containsExactly("spec.targetRef.proxyTypes[1]", "spec.targetRef.proxyTypes[2]");
    assertThat(result.problems().get(1).message()).isEqualTo("expected a string, got a map");
  }

  @Test
  void metadataNameAsAList_isAProblem() {
    ParseProblem problem =
        onlyProblem(
            "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata:\n  name: [a]\n");

    assertThat(at(problem, 4, 9, "metadata.name")).isEqualTo("expected a string, got a list");
  }

  @Test
  void yamlAnchorsAndAliases_areResolved() {
    List<WrittenMatch> matches =
        onlyDocument(
                """
        default:
          appendMatch:
          - &github {type: Domain, value: github.com, port: &https 443, protocol: tls}
          - *github
          - {type: IP, value: 10.0.0.1, port: *https}
        """)
            .spec()
            .conf()
            .orElseThrow()
            .appendMatch()
            .orElseThrow();

    assertThat(matches.get(1)).isEqualTo(matches.get(0));
    assertThat(matches.get(2).port()).contains(BigInteger.valueOf(443));
  }

  @Test
  void everyProblemOfADocument_isReportedInTextOrder() {
    ParseResult result =
        parse(
            """
        default:
          appendMatch:
          - port: "80"
            type: [IP]
          - port: x
        """);

    assertThat(result.problems())
        .extracting(p -> p.path().toString())
        .containsExactly(
            "spec.default.appendMatch[0].port",
            "spec.default.appendMatch[0].type",
            "spec.default.appendMatch[1].port");
  }

  private static WrittenMatch firstMatch(String text) {
    return onlyDocument(text).spec().conf().orElseThrow().appendMatch().orElseThrow().get(0);
  }
}
