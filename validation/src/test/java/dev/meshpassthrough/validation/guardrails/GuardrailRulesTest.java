package dev.meshpassthrough.validation.guardrails;

import static dev.meshpassthrough.validation.guardrails.Policies.guardrails;
import static dev.meshpassthrough.validation.guardrails.Policies.kubernetes;
import static dev.meshpassthrough.validation.guardrails.Policies.matching;
import static dev.meshpassthrough.validation.guardrails.Policies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.validation.Violation;
import org.junit.jupiter.api.Test;

/** Each rule of the guardrails on one policy: a policy that passes, one that fails, the finding. */
class GuardrailRulesTest {
  private static final FieldPath ENTRIES = FieldPath.of("spec", "default", "appendMatch");
  private static final String ALL =
      "  targetRef: {kind: Mesh}\n  default:\n    passthroughMode: All\n";

  @Test
  void modeAll_forbiddenEverywhere_reportsAPolicyWithAll_andPassesMatched() {
    Guardrails rules = guardrails("modeAll: {}\n");

    assertThat(rules.check(universal("open", ALL)))
        .containsExactly(
            Violation.error(
                FieldPath.of("spec", "default", "passthroughMode"),
                "guardrail.mode-all",
                "passthroughMode All lets every destination out of the mesh; the guardrails forbid it"));
    assertThat(
            rules.check(
                matching("narrow", "{type: Domain, value: example.com, port: 443, protocol: tls}")))
        .isEmpty();
  }

  @Test
  void modeAll_allowedInANamespace_passesThere_andIsAWarningElsewhereWhenTheFileSaysSo() {
    Guardrails rules =
        guardrails(
            "modeAll: {severity: warning, allowIn: {namespaces: [platform], policies: [blessed]}}\n");

    assertThat(rules.check(kubernetes("open", "platform", ALL))).isEmpty();
    assertThat(rules.check(universal("blessed", ALL))).isEmpty();
    assertThat(rules.check(kubernetes("open", "payments", ALL)))
        .containsExactly(
            Violation.warning(
                FieldPath.of("spec", "default", "passthroughMode"),
                "guardrail.mode-all",
                "passthroughMode All lets every destination out of the mesh; the guardrails allow it only in "
                    + "namespaces platform; for policies blessed, and this policy (open.payments, mesh default, "
                    + "namespace payments) is in none of them"));
  }

  @Test
  void widestPrefix_reportsAWiderNetworkPerFamily() {
    Guardrails rules = guardrails("networks:\n  widestPrefix: {ipv4: 8, ipv6: 32}\n");

    assertThat(
            rules.check(
                matching(
                    "ok", "{type: CIDR, value: 10.0.0.0/8}", "{type: CIDR, value: 'fd00::/32'}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching(
                    "wide", "{type: CIDR, value: 10.0.0.0/7}", "{type: CIDR, value: 'fd00::/31'}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.network.too-wide",
                "'10.0.0.0/7' is a /7, wider than /8, the widest IPv4 prefix the guardrails allow"),
            Violation.error(
                ENTRIES.index(1).field("value"),
                "guardrail.network.too-wide",
                "'fd00::/31' is a /31, wider than /32, the widest IPv6 prefix the guardrails allow"));
  }

  @Test
  void everyAddress_isAlwaysReported_evenWithoutAFile() {
    assertThat(Guardrails.none().check(matching("ok", "{type: CIDR, value: 0.0.0.0/1}"))).isEmpty();
    assertThat(
            Guardrails.none()
                .check(
                    matching(
                        "all",
                        "{type: CIDR, value: 0.0.0.0/0}",
                        "{type: CIDR, value: '::/0', port: 80}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.network.everything",
                "'0.0.0.0/0' is every IPv4 address; the guardrails never allow it"),
            Violation.error(
                ENTRIES.index(1).field("value"),
                "guardrail.network.everything",
                "'::/0' is every IPv6 address; the guardrails never allow it"));
  }

  @Test
  void theIpv4MappedNetworkOfEveryIpv4Address_isEveryIpv4Address() {
    assertThat(
            Guardrails.none()
                .check(matching("mapped", "{type: CIDR, value: '::ffff:0:0/96', port: 443}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.network.everything",
                "'::ffff:0:0/96' is every IPv4 address; the guardrails never allow it"));
  }

  @Test
  void forbiddenNetworks_reportAnyOverlap_includingAnIpv4MappedAddress() {
    Guardrails rules =
        guardrails("networks:\n  forbidden: [169.254.0.0/16, 'fd00:ec2::254', 127.0.0.0/8]\n");

    assertThat(
            rules.check(
                matching(
                    "ok", "{type: CIDR, value: 10.0.0.0/8}", "{type: IP, value: 169.253.0.1}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching(
                    "metadata",
                    "{type: IP, value: 169.254.169.254}",
                    "{type: CIDR, value: 160.0.0.0/4}",
                    "{type: IP, value: '::ffff:169.254.169.254'}",
                    "{type: CIDR, value: 'fd00:ec2::/112'}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.network.forbidden",
                "'169.254.169.254' overlaps the forbidden network 169.254.0.0/16"),
            Violation.error(
                ENTRIES.index(1).field("value"),
                "guardrail.network.forbidden",
                "'160.0.0.0/4' overlaps the forbidden network 169.254.0.0/16"),
            Violation.error(
                ENTRIES.index(2).field("value"),
                "guardrail.network.forbidden",
                "'::ffff:169.254.169.254' overlaps the forbidden network 169.254.0.0/16"),
            Violation.error(
                ENTRIES.index(3).field("value"),
                "guardrail.network.forbidden",
                "'fd00:ec2::/112' overlaps the forbidden network fd00:ec2::254"));
  }

  @Test
  void publicSuffixWildcards_icannAndPrivate_areAlwaysReported() {
    assertThat(
            Guardrails.none()
                .check(
                    matching(
                        "ok",
                        "{type: Domain, value: '*.example.com', port: 443, protocol: tls}",
                        "{type: Domain, value: '*.me.github.io', port: 443, protocol: tls}",
                        "{type: Domain, value: 'github.io', port: 443, protocol: tls}")))
        .isEmpty();
    assertThat(
            Guardrails.none()
                .check(
                    matching(
                        "suffixes",
                        "{type: Domain, value: '*.com', port: 443, protocol: tls}",
                        "{type: Domain, value: '*.co.uk', port: 443, protocol: tls}",
                        "{type: Domain, value: '*.github.io', port: 443, protocol: tls}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.domain.public-suffix",
                "'*.com' matches every name under 'com', a public suffix (ICANN section of the Public Suffix List), "
                    + "where anyone can register a name; the guardrails never allow it"),
            Violation.error(
                ENTRIES.index(1).field("value"),
                "guardrail.domain.public-suffix",
                "'*.co.uk' matches every name under 'co.uk', a public suffix (ICANN section of the Public Suffix "
                    + "List), where anyone can register a name; the guardrails never allow it"),
            Violation.error(
                ENTRIES.index(2).field("value"),
                "guardrail.domain.public-suffix",
                "'*.github.io' matches every name under 'github.io', a suffix of the Public Suffix List's private "
                    + "section, where anyone can register a name; the guardrails never allow it"));
  }

  @Test
  void allowedSuffixes_passNamesUnderThem_andReportOthers() {
    Guardrails rules = guardrails("domains:\n  allowedSuffixes: [example.com]\n");

    assertThat(
            rules.check(
                matching(
                    "ok",
                    "{type: Domain, value: example.com, port: 443, protocol: tls}",
                    "{type: Domain, value: API.Example.com, port: 443, protocol: tls}",
                    "{type: Domain, value: '*.example.com', port: 443, protocol: tls}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching(
                    "other", "{type: Domain, value: notexample.com, port: 443, protocol: tls}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("value"),
                "guardrail.domain.not-allowed",
                "'notexample.com' is under none of the domain suffixes the guardrails allow: example.com"));
  }

  @Test
  void requirePort_reportsADomainOnEveryPort_inItsLongFormSeverity() {
    Guardrails rules = guardrails("domains:\n  requirePort: {value: true, severity: warning}\n");

    assertThat(
            rules.check(
                matching(
                    "ok",
                    "{type: Domain, value: example.com, port: 443, protocol: tls}",
                    "{type: IP, value: 10.0.0.1}")))
        .isEmpty();
    assertThat(
            rules.check(matching("portless", "{type: Domain, value: example.com, protocol: tls}")))
        .containsExactly(
            Violation.warning(
                ENTRIES.index(0).field("port"),
                "guardrail.domain.port-required",
                "Domain entry 'example.com' has no port, so it matches on every port; the guardrails require one"));
  }

  @Test
  void protocols_reportAProtocolOutsideTheList() {
    Guardrails rules = guardrails("protocols: [tcp, tls, mysql]\n");

    assertThat(
            rules.check(
                matching(
                    "ok",
                    "{type: IP, value: 10.0.0.1, port: 3306, protocol: mysql}",
                    "{type: IP, value: 10.0.0.2}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching("web", "{type: Domain, value: example.com, port: 80, protocol: http}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0).field("protocol"),
                "guardrail.protocol.not-allowed",
                "protocol http is not allowed by the guardrails; allowed: tcp, tls, mysql"));
  }

  @Test
  void maxEntriesPerPolicy_reportsTheFirstEntryOverTheLimit() {
    Guardrails rules = guardrails("maxEntries: {perPolicy: 2}\n");

    assertThat(
            rules.check(
                matching("two", "{type: IP, value: 10.0.0.1}", "{type: IP, value: 10.0.0.2}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching(
                    "three",
                    "{type: IP, value: 10.0.0.1}",
                    "{type: IP, value: 10.0.0.2}",
                    "{type: IP, value: 10.0.0.3}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(2),
                "guardrail.entries.per-policy",
                "the policy has 3 appendMatch entries, more than the 2 the guardrails allow per policy"));
  }

  @Test
  void selection_reportsAPolicySelectingOnlyThroughUntrustedLabels_namingThem() {
    Guardrails rules =
        guardrails("selection: {trustedLabels: [k8s.kuma.io/namespace, kuma.io/zone]}\n");
    String entry = "  default:\n    appendMatch:\n      - {type: IP, value: 10.0.0.1}\n";

    assertThat(rules.check(universal("mesh", "  targetRef: {kind: Mesh}\n" + entry))).isEmpty();
    assertThat(
            rules.check(
                universal(
                    "scoped",
                    "  targetRef: {kind: Dataplane, labels: {app: web, k8s.kuma.io/namespace: shop}}\n"
                        + entry)))
        .isEmpty();
    assertThat(
            rules.check(
                universal(
                    "impersonable",
                    "  targetRef: {kind: Dataplane, labels: {team: web, app: web}}\n" + entry)))
        .containsExactly(
            Violation.error(
                FieldPath.of("spec", "targetRef", "labels"),
                "guardrail.selection.untrusted-labels",
                "the policy selects proxies only through labels that are not trusted (app, team): a service owner "
                    + "who sets them receives passthrough; trusted labels: k8s.kuma.io/namespace, kuma.io/zone"));
    assertThat(
            rules.check(
                universal(
                    "subset", "  targetRef: {kind: MeshSubset, tags: {version: v2}}\n" + entry)))
        .extracting(Violation::path, Violation::ruleId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                FieldPath.of("spec", "targetRef", "tags"), "guardrail.selection.untrusted-labels"));
  }

  @Test
  void entriesOfOnePolicy_reachingAWideNetworkOnlyTogether_areReportedAtTheFirst() {
    Guardrails rules = guardrails("networks:\n  widestPrefix: {ipv4: 8}\n");

    assertThat(
            rules.check(
                matching(
                    "ports",
                    "{type: CIDR, value: 10.0.0.0/8, port: 80}",
                    "{type: CIDR, value: 11.0.0.0/8, port: 443}")))
        .isEmpty();
    assertThat(
            rules.check(
                matching(
                    "adjacent",
                    "{type: CIDR, value: 10.0.0.0/8, port: 443}",
                    "{type: CIDR, value: 11.0.0.0/8}")))
        .containsExactly(
            Violation.error(
                ENTRIES.index(0),
                "guardrail.network.too-wide",
                "entries appendMatch[0] (CIDR 10.0.0.0/8:443/tcp), appendMatch[1] (CIDR 11.0.0.0/8:*/tcp) together "
                    + "reach 10.0.0.0/7 on port 443, wider than /8, the widest IPv4 prefix the guardrails allow"));
  }
}
