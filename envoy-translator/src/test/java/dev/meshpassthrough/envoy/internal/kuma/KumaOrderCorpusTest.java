package dev.meshpassthrough.envoy.internal.kuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.envoy.KumaCorpus;
import dev.meshpassthrough.envoy.TranslationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code conformance/kuma/order}: the ordering step, called without validation as
 * Kuma's test calls it, gives the golden's matchers in order, or exactly the expected errors.
 */
class KumaOrderCorpusTest {

  static List<Path> orderedCases() {
    return KumaCorpus.cases("order").stream()
        .filter(d -> Files.exists(d.resolve("ordered.golden.yaml")))
        .toList();
  }

  static List<Path> errorCases() {
    return KumaCorpus.cases("order").stream()
        .filter(d -> Files.exists(d.resolve("errors.yaml")))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orderedCases")
  void orderedMatchers_equalKumasGolden(Path dir) {
    List<Match> matches = KumaCorpus.unvalidatedConf(dir.resolve("policy.yaml")).matches();

    List<FilterChainMatcher> ordered = MatcherOrdering.order(matches);

    List<Map<String, Object>> expected =
        goldenMatchers(KumaCorpus.tree(dir.resolve("ordered.golden.yaml")));
    assertThat(ordered.stream().map(KumaOrderCorpusTest::fields).toList())
        .containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void conflictingLayer7Protocols_failWithKumasMessages(Path dir) {
    List<Match> matches = KumaCorpus.unvalidatedConf(dir.resolve("policy.yaml")).matches();
    List<String> expected = new ArrayList<>();
    KumaCorpus.tree(dir.resolve("errors.yaml"))
        .path("errors")
        .forEach(e -> expected.add(e.asText()));

    assertThatThrownBy(() -> MatcherOrdering.order(matches))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e -> {
              assertThat(e.messages()).containsExactlyInAnyOrderElementsOf(expected);
              assertThat(e.getMessage().split(";")).hasSameSizeAs(expected);
            });
  }

  /** The five fields of Kuma's golden, from a matcher. */
  static Map<String, Object> fields(FilterChainMatcher matcher) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("MatchType", matcher.matchType().kumaNumber());
    fields.put("Port", matcher.port());
    fields.put("Protocol", matcher.protocol().wireName());
    fields.put(
        "Routes",
        matcher.routes().stream()
            .map(r -> Map.of("MatchType", r.matchType().kumaNumber(), "Value", r.value()))
            .toList());
    fields.put("Value", matcher.value());
    return fields;
  }

  /** The five fields of each matcher of Kuma's golden, in order. */
  static List<Map<String, Object>> goldenMatchers(JsonNode golden) {
    List<Map<String, Object>> expected = new ArrayList<>();
    golden.forEach(node -> expected.add(goldenFields(node)));
    return expected;
  }

  private static Map<String, Object> goldenFields(JsonNode node) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("MatchType", node.path("MatchType").asInt());
    fields.put("Port", node.path("Port").asInt());
    fields.put("Protocol", node.path("Protocol").asText());
    List<Object> routes = new ArrayList<>();
    node.path("Routes")
        .forEach(
            r ->
                routes.add(
                    Map.of(
                        "MatchType",
                        r.path("MatchType").asInt(),
                        "Value",
                        r.path("Value").asText())));
    fields.put("Routes", routes);
    fields.put("Value", node.path("Value").asText());
    return fields;
  }
}
