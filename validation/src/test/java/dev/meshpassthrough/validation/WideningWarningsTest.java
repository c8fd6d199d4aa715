package dev.meshpassthrough.validation;

import static dev.meshpassthrough.validation.Documents.bare;
import static dev.meshpassthrough.validation.Documents.match;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Warnings about policies that let more traffic out than they seem to, which Kuma takes silently:
 * each is a warning (the policy stays valid, Kuma's errors are unchanged) with its own rule id.
 */
class WideningWarningsTest {
  private final PolicyValidator validator = PolicyValidator.create();

  private static List<String> rules(ValidationResult result) {
    return result.violations().stream()
        .map(v -> v.severity() + " " + v.path() + " " + v.ruleId())
        .toList();
  }

  private ValidationResult validateText(String yaml) {
    ParseResult parsed = PolicyParser.create().parse(yaml, "test.yaml");
    assertThat(parsed.problems()).isEmpty();
    PolicyDocument document = parsed.documents().get(0);
    return validator.validate(document);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "0.0.0.0/0; tcp; every IPv4 destination on every port is allowed, as passthroughMode All allows it",
        "::/0; tcp; every IPv6 destination on every port is allowed",
        "0.0.0.0/0; http; every http connection to any IPv4 destination on every port is allowed",
        "::/0; tls; every tls connection to any IPv6 destination",
      })
  void oneWholeFamilyNetwork_withoutPort_warns(String cidr, String protocol, String says) {
    ValidationResult result =
        validator.validate(bare("Matched", match("CIDR", cidr, null, protocol)));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result))
        .containsExactly("WARNING spec.default.appendMatch[0].value match.allows-everything");
    assertThat(result.warnings().get(0).message())
        .contains(
            "the port-less " + protocol + " entry appendMatch[0] (" + cidr + ") covers every",
            says);
  }

  @Test
  void halvesThatTogetherCoverAFamily_warnAtTheEntryThatCompletesTheCover_inAnyOrder() {
    ValidationResult result =
        validator.validate(
            bare(
                "Matched",
                match("CIDR", "128.0.0.0/2", null, "tcp"),
                match("CIDR", "10.0.0.0/8", null, "tcp"),
                match("CIDR", "0.0.0.0/1", null, "tcp"),
                match("CIDR", "192.0.0.0/2", null, "tcp"),
                match("CIDR", "8.0.0.0/8", null, "tcp")));
    assertThat(rules(result))
        .containsExactly("WARNING spec.default.appendMatch[3].value match.allows-everything");
    assertThat(result.warnings().get(0).message())
        .contains(
            "entries appendMatch[0] (128.0.0.0/2), appendMatch[1] (10.0.0.0/8), "
                + "appendMatch[2] (0.0.0.0/1), appendMatch[3] (192.0.0.0/2) together cover every IPv4 address (0.0.0.0/0)");
  }

  @Test
  void bothFamilies_warnOnceEach() {
    ValidationResult result =
        validator.validate(
            bare(
                "Matched",
                match("CIDR", "0.0.0.0/0", null, "tcp"),
                match("CIDR", "::/1", null, "tcp"),
                match("CIDR", "8000::/1", null, "tcp")));
    assertThat(rules(result))
        .containsExactly(
            "WARNING spec.default.appendMatch[0].value match.allows-everything",
            "WARNING spec.default.appendMatch[2].value match.allows-everything");
  }

  @Test
  void coversThatNeedAPortOrMixProtocolsOrLeaveAGap_doNotWarn() {
    assertThat(
            validator
                .validate(bare("Matched", match("CIDR", "0.0.0.0/0", 443, "tcp")))
                .violations())
        .isEmpty();
    assertThat(
            validator
                .validate(
                    bare(
                        "Matched",
                        match("CIDR", "0.0.0.0/1", null, "tcp"),
                        match("CIDR", "128.0.0.0/1", null, "http")))
                .violations())
        .isEmpty();
    assertThat(
            validator
                .validate(
                    bare(
                        "Matched",
                        match("CIDR", "0.0.0.0/1", null, "tcp"),
                        match("CIDR", "128.0.0.0/2", null, "tcp"),
                        match("CIDR", "192.0.0.0/3", null, "tcp"),
                        match("CIDR", "224.0.0.0/4", null, "tcp"),
                        match("IP", "255.255.255.255", null, "tcp")))
                .violations())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "*.com; com, a public suffix where anyone can register a domain",
        "*.co.uk; co.uk, a public suffix",
        "*.xn--p1ai; xn--p1ai, a public suffix",
        "*.COM; COM, a public suffix",
        "*.github.io; github.io, a suffix of the Public Suffix List's private section",
      })
  void wildcardOfAPublicSuffix_warns(String value, String says) {
    ValidationResult result =
        validator.validate(bare("Matched", match("Domain", value, 443, "tls")));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result))
        .containsExactly(
            "WARNING spec.default.appendMatch[0].value match.value.domain.public-suffix");
    assertThat(result.warnings().get(0).message())
        .contains("'" + value + "' allows every name under " + says);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "*.example.com",
    "*.foo.github.io",
    "*.s3.amazonaws.com.example",
    "*._svc.example.com",
    "com"
  })
  void wildcardBelowARegistrableDomain_doesNotWarn(String value) {
    assertThat(validator.validate(bare("Matched", match("Domain", value, 443, "tls"))).violations())
        .isEmpty();
  }

  @Test
  void octalPort_warnsNamingBothNumbers() {
    ValidationResult result =
        validateText(
            "type: MeshPassthrough\nname: p\nspec:\n  default:\n    appendMatch:\n"
                + "    - {type: Domain, value: example.com, port: 0443, protocol: tls}\n");
    assertThat(result.isValid()).isTrue();
    assertThat(result.orElseThrow().conf().matches().get(0).port().orElseThrow().value())
        .isEqualTo(291);
    assertThat(rules(result))
        .containsExactly("WARNING spec.default.appendMatch[0].port match.port.octal");
    assertThat(result.warnings().get(0).message())
        .isEqualTo(
            "port 0443 is a YAML 1.1 octal number: it means port 291, not 443 "
                + "(Kuma reads it the same way); write 291, or 443 if that was meant");
  }

  @Test
  void decimalHexAndZeroPorts_areNotOctal() {
    for (String port : List.of("443", "0x1bb", "+443")) {
      ValidationResult result =
          validateText(
              "default:\n  appendMatch:\n"
                  + "  - {type: Domain, value: example.com, port: "
                  + port
                  + ", protocol: tls}\n");
      assertThat(result.violations()).as(port).isEmpty();
    }
  }

  @ParameterizedTest(name = "port: {0}")
  @CsvSource({"'~'", "'null'", "'Null'", "''"})
  void nullPort_warnsThatTheEntryIsPortless(String port) {
    ValidationResult result =
        validateText(
            "default:\n  appendMatch:\n"
                + "  - type: IP\n    value: 10.0.0.1\n    port: "
                + port
                + "\n");
    assertThat(result.isValid()).isTrue();
    assertThat(result.orElseThrow().conf().matches().get(0).port()).isEmpty();
    assertThat(rules(result))
        .containsExactly("WARNING spec.default.appendMatch[0].port match.port.null");
    assertThat(result.warnings().get(0).message())
        .contains("reads as no port: the entry applies to every port");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "0.0.0.0; match.value.ip.unspecified; if every IPv4 destination is meant, that is CIDR 0.0.0.0/0",
        "::; match.value.ip.unspecified; if every IPv6 destination is meant, that is CIDR ::/0",
        "::10.0.0.1; match.value.ip.ipv4-compatible; Envoy matches the IPv6 address ::a00:1 on the IPv6 listener only",
        "::ffff:10.0.0.1; match.value.ip.ipv4-mapped; IPv4-mapped",
      })
  void oddAddresses_warn(String ip, String rule, String says) {
    ValidationResult result = validator.validate(bare("Matched", match("IP", ip, 80, "tcp")));
    assertThat(result.isValid()).isTrue();
    assertThat(rules(result)).containsExactly("WARNING spec.default.appendMatch[0].value " + rule);
    assertThat(result.warnings().get(0).message()).contains(says);
  }

  @Test
  void loopbackAndOrdinaryIpv6_areNotIpv4Compatible() {
    assertThat(
            validator
                .validate(
                    bare(
                        "Matched",
                        match("IP", "::1", 80, "tcp"),
                        match("IP", "2001:db8::1", 80, "tcp")))
                .violations())
        .isEmpty();
  }

  @Test
  void universalMeshFieldAndLabelDisagreeing_warnsThatTheFieldWins() {
    ValidationResult result =
        validateText(
            "type: MeshPassthrough\nname: p\nmesh: prod\nlabels:\n  kuma.io/mesh: staging\n"
                + "spec:\n  default:\n    passthroughMode: None\n");
    assertThat(result.isValid()).isTrue();
    assertThat(result.orElseThrow().metadata().mesh()).isEqualTo("prod");
    assertThat(rules(result))
        .containsExactly("WARNING labels.kuma.io/mesh document.mesh.label-mismatch");
    assertThat(result.warnings().get(0).message())
        .isEqualTo(
            "label kuma.io/mesh is 'staging' but mesh is 'prod': the mesh "
                + "field wins, the policy applies to proxies of mesh prod only; make the label agree or drop it");
  }

  @Test
  void universalLabelWithoutMeshField_warnsThatTheDefaultMeshWins() {
    ValidationResult result =
        validateText(
            "type: MeshPassthrough\nname: p\nlabels:\n  kuma.io/mesh: prod\n"
                + "spec:\n  default:\n    passthroughMode: None\n");
    assertThat(rules(result))
        .containsExactly("WARNING labels.kuma.io/mesh document.mesh.label-mismatch");
    assertThat(result.warnings().get(0).message())
        .contains("mesh is not set, which means 'default'");
  }

  @Test
  void agreeingMeshLabel_andKubernetesLabels_doNotWarn() {
    assertThat(
            validateText(
                    "type: MeshPassthrough\nname: p\nmesh: prod\nlabels:\n  kuma.io/mesh: prod\n"
                        + "spec:\n  default:\n    passthroughMode: None\n")
                .violations())
        .isEmpty();
    assertThat(
            validateText(
                    "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata:\n  name: p\n  namespace: kuma-system\n"
                        + "  labels:\n    kuma.io/mesh: prod\nspec:\n  default:\n    passthroughMode: None\n")
                .violations())
        .isEmpty();
  }
}
