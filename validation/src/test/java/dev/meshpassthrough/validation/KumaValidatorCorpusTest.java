package dev.meshpassthrough.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kuma's own validator test cases (copied with Kuma's LICENSE and NOTICE into test resources): the
 * violations must come out exactly, in order, message for message.
 */
class KumaValidatorCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<String> cases() throws IOException, URISyntaxException {
    return caseNames(corpus());
  }

  /** The case names of a validate directory: each {@code <name>.input.yaml}, by name. */
  static Stream<String> caseNames(Path corpus) throws IOException {
    try (Stream<Path> files = Files.list(corpus)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".input.yaml"))
          .map(n -> n.substring(0, n.length() - ".input.yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_producesKumasViolationsInOrder(String name) throws Exception {
    ParseResult parsed = PolicyParser.create().parse(corpus().resolve(name + ".input.yaml"));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.documents()).hasSize(1);

    ValidationResult result = PolicyValidator.create().validate(parsed.documents().get(0));

    List<Map<String, String>> actual = new ArrayList<>();
    for (Violation violation : result.errors()) {
      actual.add(Map.of("field", violation.path().toString(), "message", violation.message()));
    }
    List<Map<String, String>> expected = new ArrayList<>();
    for (JsonNode node :
        YAML.readTree(corpus().resolve(name + ".violations.yaml").toFile()).get("violations")) {
      expected.add(
          Map.of("field", node.get("field").asText(), "message", node.get("message").asText()));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(result.isValid()).isEqualTo(expected.isEmpty());
    // Kuma has no warnings; ours come on top and are never Kuma's rules.
    assertThat(result.warnings()).allSatisfy(w -> assertThat(w.ruleId()).doesNotStartWith("kuma."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_errorsAllCarryKumasRuleIds(String name) throws Exception {
    ParseResult parsed = PolicyParser.create().parse(corpus().resolve(name + ".input.yaml"));
    ValidationResult result = PolicyValidator.create().validate(parsed.documents().get(0));
    assertThat(result.errors()).allSatisfy(e -> assertThat(e.ruleId()).startsWith("kuma."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_givesTheSameResultForKuma3_apartFromItsMatchRules(String name) throws Exception {
    ParseResult parsed = PolicyParser.create().parse(corpus().resolve(name + ".input.yaml"));
    ValidationResult v2 =
        PolicyValidator.create(new ValidationOptions(KumaLine.V2))
            .validate(parsed.documents().get(0));
    ValidationResult v3 =
        PolicyValidator.create(new ValidationOptions(KumaLine.V3))
            .validate(parsed.documents().get(0));
    // Kuma 3.x changed only the match rules: drop them (and the 2.x rule they replace).
    assertThat(
            v3.violations().stream().filter(v -> !KUMA3_ONLY_RULES.contains(v.ruleId())).toList())
        .isEqualTo(
            v2.violations().stream()
                .filter(v -> !v.ruleId().equals("kuma.match.port.same-protocol"))
                .toList());
  }

  private static final List<String> KUMA3_ONLY_RULES =
      List.of("kuma.match.domain.port-required", "kuma.match.conflict");

  static Path corpus() throws URISyntaxException {
    return Path.of(KumaValidatorCorpusTest.class.getResource("/conformance/kuma/validate").toURI());
  }
}
