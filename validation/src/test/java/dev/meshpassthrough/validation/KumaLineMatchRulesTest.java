package dev.meshpassthrough.validation;

import static dev.meshpassthrough.validation.Documents.bare;
import static dev.meshpassthrough.validation.Documents.match;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The match rules that differ between Kuma 2.x and Kuma 3.x. */
class KumaLineMatchRulesTest {
  private final PolicyValidator v2 = PolicyValidator.create(new ValidationOptions(KumaLine.V2));
  private final PolicyValidator v3 = PolicyValidator.create(new ValidationOptions(KumaLine.V3));

  private static List<String> rules(ValidationResult result) {
    return result.violations().stream()
        .map(v -> v.path() + " " + v.ruleId() + ": " + v.message())
        .toList();
  }

  @Test
  void domainWithoutPort_isAnErrorUnderV3Only() {
    ValidationResult result = v3.validate(bare("Matched", match("Domain", "a.com", null, "tls")));
    assertThat(rules(result))
        .containsExactly(
            "spec.default.appendMatch[0].port kuma.match.domain.port-required: port must be defined"
                + " for a domain, the sidecar resolves the domain to pin the destination");
    assertThat(v2.validate(bare("Matched", match("Domain", "a.com", null, "tls"))).isValid())
        .isTrue();
    assertThat(v3.validate(bare("Matched", match("Domain", "*.a.com", null, "tls"))).isValid())
        .isTrue();
  }

  @Test
  void conflictingChains_underV3_areKumasConflictOnProtocolOrValue() {
    ValidationResult result =
        v3.validate(
            bare(
                "Matched",
                match("IP", "10.0.0.1", 80, "http"),
                match("CIDR", "10.0.0.1/32", 80, "http"),
                match("IP", "10.0.0.1", 80, "grpc")));
    assertThat(rules(result))
        .containsExactly(
            "spec.default.appendMatch[1].value kuma.match.conflict: matches \"10.0.0.1\" and"
                + " \"10.0.0.1/32\" produce the same filter chain for 10.0.0.1/32 on port 80",
            "spec.default.appendMatch[2].protocol kuma.match.conflict: protocols http and grpc"
                + " produce the same filter chain for 10.0.0.1/32 on port 80");
  }

  @Test
  void suppressedPortlessCopy_isNoViolationUnderV3() {
    ValidationResult result =
        v3.validate(
            bare(
                "Matched",
                match("IP", "10.0.0.1", null, "http"),
                match("IP", "10.0.0.1", 9090, "grpc")));
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void portlessHttpAndHttp2_forDifferentDestinations_failKuma2sTranslator() {
    ValidationResult result =
        v2.validate(
            bare(
                "Matched",
                match("IP", "10.0.0.1", null, "http"),
                match("IP", "10.0.0.2", null, "http2")));
    assertThat(rules(result))
        .containsExactly(
            "spec.default.appendMatch[1].protocol kuma.translate.layer7-same-port: you cannot"
                + " configure http, http2, grpc on the same port 0: appendMatch[0] (IP"
                + " 10.0.0.1:*/http) and appendMatch[1] (IP 10.0.0.2:*/http2)");
    assertThat(
            v3.validate(
                    bare(
                        "Matched",
                        match("IP", "10.0.0.1", null, "http"),
                        match("IP", "10.0.0.2", null, "http2")))
                .errors())
        .isEmpty();
  }

  @Test
  void tcpAndMysql_onOneAddressAndPort_failKuma2sTranslator() {
    ValidationResult result =
        v2.validate(
            bare(
                "Matched",
                match("IP", "10.1.1.1", 3306, "tcp"),
                match("IP", "10.1.1.1", 3306, "mysql")));
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path().toString()).isEqualTo("spec.default.appendMatch[1].protocol");
              assertThat(e.ruleId()).isEqualTo("translate.chain.same-match");
            });
  }
}
