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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kuma 3.x's own validator test cases (conformance/kuma3, copied with Kuma's LICENSE and NOTICE):
 * under {@link KumaLine#V3} the violations must come out exactly, in order, message for message.
 */
class Kuma3ValidatorCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<String> cases() throws IOException, URISyntaxException {
    return KumaValidatorCorpusTest.caseNames(corpus());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_producesKumasViolationsInOrder(String name) throws Exception {
    ValidationResult result = validate(name);

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
    assertThat(result.warnings()).allSatisfy(w -> assertThat(w.ruleId()).doesNotStartWith("kuma."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_errorsAllCarryKumasRuleIds(String name) throws Exception {
    assertThat(validate(name).errors()).allSatisfy(e -> assertThat(e.ruleId()).startsWith("kuma."));
  }

  private static ValidationResult validate(String name) throws Exception {
    ParseResult parsed = PolicyParser.create().parse(corpus().resolve(name + ".input.yaml"));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.documents()).hasSize(1);
    return PolicyValidator.create(new ValidationOptions(KumaLine.V3))
        .validate(parsed.documents().get(0));
  }

  static Path corpus() throws URISyntaxException {
    return Path.of(
        Kuma3ValidatorCorpusTest.class.getResource("/conformance/kuma3/validate").toURI());
  }
}
