package dev.meshpassthrough.validation;

import static dev.meshpassthrough.validation.Documents.bare;
import static dev.meshpassthrough.validation.Documents.match;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchRulesTest {
  private final PolicyValidator validator = PolicyValidator.create();

  private List<String> rules(ValidationResult result) {
    return result.violations().stream().map(v -> v.path() + " " + v.ruleId()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'*', match.value.domain.syntax",
    "'*.*.example.com', match.value.domain.syntax",
    "'a.*.example.com', kuma.match.value.dns",
    "'example.com.', match.value.domain.syntax",
    "'ends-.example.com', match.value.domain.syntax",
    "'a..b', kuma.match.value.dns",
    "'xn--bcher-kva.example', ''",
    "'Example.COM', ''",
    "'_service.example.com', ''",
  })
  void domainValues_areJudgedByTheStrictRulesAfterKumas(String value, String rule) {
    ValidationResult result =
        validator.validate(bare("Matched", match("Domain", value, 443, "tls")));
    if (rule.isEmpty()) {
      assertThat(result.violations()).isEmpty();
    } else {
      assertThat(rules(result)).containsExactly("spec.default.appendMatch[0].value " + rule);
    }
  }

  @Test
  void longLabelsAndNames_areRejected() {
    String label64 = "a".repeat(64);
    assertThat(
            rules(
                validator.validate(bare("Matched", match("Domain", label64 + ".com", 443, "tls")))))
        .containsExactly("spec.default.appendMatch[0].value kuma.match.value.dns");
    String name254 = ("a".repeat(49) + ".").repeat(5) + "abcd";
    assertThat(name254).hasSize(254);
    assertThat(rules(validator.validate(bare("Matched", match("Domain", name254, 443, "tls")))))
        .containsExactly("spec.default.appendMatch[0].value match.value.domain.syntax");
  }

  @Test
  void nonAsciiDomain_suggestsItsPunycodeForm() {
    ValidationResult result =
        validator.validate(bare("Matched", match("Domain", "bücher.example", 443, "tls")));
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].value match.value.domain.non-ascii");
    assertThat(result.violations().get(0).message())
        .startsWith("provided DNS has incorrect value: ")
        .contains("xn--bcher-kva.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "010.1.1.1, match.value.ip.leading-zero",
    "1.2.3, match.value.ip.parts",
    "'fe80::1%eth0', match.value.ip.zone",
  })
  void badIps_getKumasMessageWithAnExplanation(String value, String rule) {
    ValidationResult result = validator.validate(bare("Matched", match("IP", value, 80, "tcp")));
    assertThat(rules(result)).containsExactly("spec.default.appendMatch[0].value " + rule);
    assertThat(result.violations().get(0).message())
        .startsWith("provided IP has incorrect value: ");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "IP, '\uFF110.0.0.1', 'U+FF11 FULLWIDTH DIGIT ONE at position 1', '10.0.0.1'",
    "IP, '\u0661\u0660.\u0660.\u0660.\u0662', 'U+0661 ARABIC-INDIC DIGIT ONE at position 1', '10.0.0.2'",
    "IP, '2001:db8::\uFF11', 'U+FF11 FULLWIDTH DIGIT ONE at position 11', '2001:db8::1'",
    "IP, '2001:\uFF44b8::1', 'U+FF44 FULLWIDTH LATIN SMALL LETTER D at position 6', '2001:db8::1'",
    "CIDR, '\uFF110.0.0.0/8', 'U+FF11 FULLWIDTH DIGIT ONE at position 1', '10.0.0.0/8'",
    "CIDR, '10.0.0.0/\uFF18', 'U+FF18 FULLWIDTH DIGIT EIGHT at position 10', '10.0.0.0/8'",
  })
  void nonAsciiDigitsInAddresses_areRejected_namingTheCharacter(
      String type, String value, String where, String ascii) {
    ValidationResult result = validator.validate(bare("Matched", match(type, value, 80, "tcp")));
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].value match.value.ip.non-ascii");
    assertThat(result.violations().get(0).message())
        .startsWith("provided " + type + " has incorrect value: ")
        .contains(where, "write '" + ascii + "'");
  }

  @Test
  void unexplainableIp_getsKumasBareMessage() {
    ValidationResult result =
        validator.validate(bare("Matched", match("IP", "example.com", 80, "tcp")));
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].value kuma.match.value.ip");
    assertThat(result.violations().get(0).message()).isEqualTo("provided IP has incorrect value");
  }

  @Test
  void ipv4MappedIpv6_isValidWithAWarning() {
    ValidationResult result =
        validator.validate(bare("Matched", match("IP", "::ffff:10.0.0.1", 80, "tcp")));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].value match.value.ip.ipv4-mapped");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/08"})
  void cidrWithBadPrefix_isRejectedWithTheRange(String value) {
    ValidationResult result = validator.validate(bare("Matched", match("CIDR", value, 80, "tcp")));
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].value match.value.cidr.prefix");
    assertThat(result.violations().get(0).message())
        .startsWith("provided CIDR has incorrect value: ")
        .contains(value.contains(":") ? "0 to 128" : "0 to 32");
  }

  @Test
  void cidrWithoutPrefix_getsKumasBareMessage() {
    assertThat(rules(validator.validate(bare("Matched", match("CIDR", "1.2.3.4", 80, "tcp")))))
        .containsExactly("spec.default.appendMatch[0].value kuma.match.value.cidr");
  }

  @Test
  void lenientLevel_reportsCombinationRulesAsWarnings_andKeepsTheEntries() {
    PolicyValidator lenient =
        PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));
    ValidationResult result =
        lenient.validate(
            bare(
                "Matched",
                match("Domain", "*.example.com", null, "http"),
                match("Domain", "a.com", 80, "tls"),
                match("Domain", "a.com", 80, "tls")));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result))
        .containsExactly(
            "spec.default.appendMatch[0].port kuma.match.port.wildcard-l7",
            "spec.default.appendMatch[2].value kuma.match.value.duplicate");
    assertThat(result.orElseThrow().conf().matches()).hasSize(3);
    assertThat(lenient.validate(bare("Matched", match("IP", "nope", 80, "tcp"))).isValid())
        .isFalse();
  }

  @Test
  void cidrWithHostBits_warnsWithTheNetworkEnvoyUses() {
    ValidationResult result =
        validator.validate(bare("Matched", match("CIDR", "10.1.2.3/16", 80, "tcp")));
    assertThat(result.isValid()).isTrue();
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.ruleId()).isEqualTo("match.value.cidr.host-bits");
              assertThat(v.message()).contains("10.1.0.0/16");
            });
    Destination.Cidr cidr =
        (Destination.Cidr) result.orElseThrow().conf().matches().get(0).destination();
    assertThat(cidr.networkText()).isEqualTo("10.1.0.0");
    assertThat(cidr.value()).isEqualTo("10.1.2.3/16");
  }

  @Test
  void kumasSamePortCheck_dependsOnOrder_asKumasDoes() {
    assertThat(
            validator
                .validate(
                    bare(
                        "Matched",
                        match("IP", "10.0.0.1", 8080, "http"),
                        match("IP", "10.0.0.2", 8080, "tcp")))
                .isValid())
        .isTrue();
    assertThat(
            rules(
                validator.validate(
                    bare(
                        "Matched",
                        match("IP", "10.0.0.2", 8080, "tcp"),
                        match("IP", "10.0.0.1", 8080, "http")))))
        .containsExactly("spec.default.appendMatch[1].port kuma.match.port.same-protocol");
  }

  @Test
  void portlessHttpDomain_clashesWithAnHttp2DomainOnAnyPort_inEitherOrder() {
    String expected = "match.protocol.l7-clash";
    ValidationResult forward =
        validator.validate(
            bare(
                "Matched",
                match("Domain", "a.example.com", null, "http"),
                match("Domain", "b.example.com", 9000, "http2")));
    ValidationResult backward =
        validator.validate(
            bare(
                "Matched",
                match("Domain", "b.example.com", 9000, "http2"),
                match("Domain", "a.example.com", null, "http")));
    assertThat(rules(forward)).containsExactly("spec.default.appendMatch[1].protocol " + expected);
    assertThat(rules(backward)).containsExactly("spec.default.appendMatch[1].protocol " + expected);
    assertThat(forward.violations().get(0).message())
        .contains("appendMatch[0]", "appendMatch[1]", "port 9000");
  }

  @Test
  void l7ProtocolsOnOnePort_withDifferentIps_doNotClash() {
    ValidationResult result =
        validator.validate(
            bare(
                "Matched",
                match("IP", "10.0.0.1", null, "http"),
                match("Domain", "b.example.com", 9000, "http2")));
    assertThat(result.violations()).isEmpty();
  }

  @Test
  void portlessDuplicates_andSpellingVariants_areRejected() {
    assertThat(
            rules(
                validator.validate(
                    bare(
                        "Matched",
                        match("Domain", "example.com", null, "tls"),
                        match("Domain", "EXAMPLE.com", null, "tls")))))
        .containsExactly("spec.default.appendMatch[1].value match.duplicate");
    assertThat(
            rules(
                validator.validate(
                    bare(
                        "Matched",
                        match("IP", "2001:db8::1", 443, "tcp"),
                        match("IP", "2001:0db8:0:0:0:0:0:1", 443, "tcp")))))
        .containsExactly("spec.default.appendMatch[1].value match.duplicate");
  }

  @Test
  void kumasDuplicate_isNotReportedTwice() {
    assertThat(
            rules(
                validator.validate(
                    bare(
                        "Matched",
                        match("Domain", "example.com", 443, "tls"),
                        match("Domain", "example.com", 443, "tls")))))
        .containsExactly("spec.default.appendMatch[1].value kuma.match.value.duplicate");
  }

  @Test
  void modeAll_warnsAndIgnoredMatchesAreSaid() {
    ValidationResult result =
        validator.validate(bare("All", match("Domain", "example.com", 443, "tls")));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result))
        .containsExactly(
            "spec.default.passthroughMode conf.mode.all",
            "spec.default.appendMatch conf.append-match.ignored");
  }

  @Test
  void unknownMode_isAnError() {
    assertThat(rules(validator.validate(bare("matched"))))
        .containsExactly("spec.default.passthroughMode conf.mode.enum");
  }

  @Test
  void missingTypeAndValue_areRequired() {
    assertThat(rules(validator.validate(bare("Matched", match(null, null, 80, "tcp")))))
        .containsExactly("spec.default.appendMatch[0].type match.required");
    assertThat(rules(validator.validate(bare("Matched", match("IP", null, 80, "tcp")))))
        .containsExactly("spec.default.appendMatch[0].value match.required");
  }

  @Test
  void absentProtocol_meansTcp() {
    ValidationResult result =
        validator.validate(bare("Matched", match("IP", "10.0.0.1", 80, null)));
    assertThat(result.orElseThrow().conf().matches().get(0).protocol()).isEqualTo(Protocol.TCP);
    assertThat(rules(validator.validate(bare("Matched", match("Domain", "example.com", 80, null)))))
        .containsExactly("spec.default.appendMatch[0].protocol kuma.match.protocol.domain");
  }

  @Test
  void portsBeyondAnyIntegerType_getThePortRangeMessage() {
    ValidationResult result =
        validator.validate(
            bare(
                "Matched",
                new dev.meshpassthrough.core.document.WrittenMatch(
                    java.util.Optional.of("IP"), java.util.Optional.of("10.0.0.1"),
                    java.util.Optional.of(java.math.BigInteger.TWO.pow(64)),
                        java.util.Optional.of("tcp"))));
    assertThat(rules(result))
        .containsExactly("spec.default.appendMatch[0].port kuma.match.port.range");
  }

  @Test
  void invalidPolicy_orElseThrow_listsEveryViolation() {
    ValidationResult result = validator.validate(bare("Matched", match("IP", "nope", 0, "tcp")));
    assertThat(result.isValid()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(result::orElseThrow)
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("port must be a valid (1-65535)")
        .hasMessageContaining("provided IP has incorrect value");
  }
}
