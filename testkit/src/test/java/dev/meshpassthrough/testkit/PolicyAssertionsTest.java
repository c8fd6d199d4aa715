package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.PolicyAssertions.assertThatPolicy;
import static dev.meshpassthrough.testkit.PolicyAssertions.assertThatResources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyAssertionsTest {
  private static final String POLICY =
      """
      apiVersion: kuma.io/v1alpha1
      kind: MeshPassthrough
      metadata:
        name: allow-some
        namespace: kuma-system
        labels: {kuma.io/mesh: default}
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
          - {type: Domain, value: httpbin.org, port: 80, protocol: http}
          - {type: CIDR, value: 10.0.0.0/8, port: 5432, protocol: tcp}
      """;

  @Test
  void underAPinning_anAllowedNameGoesToTheNameNotToTheDialedAddress() {
    PolicyAssert pinned = assertThatPolicy(POLICY).withDomainPinning(DomainPinning.DNS);

    pinned
        .goesTo(
            Upstream.dnsName("api.example.com", 443),
            tls("api.example.com", 443).dialing("203.0.113.9"))
        .goesTo(Upstream.dialed("10.1.2.3", 5432), tcp("10.1.2.3", 5432))
        .agreesWithIntentOn(
            tls("api.example.com", 443).dialing("203.0.113.9"), http("httpbin.org", 80));
    AssertionError error =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                assertThatPolicy(POLICY)
                    .goesTo(
                        Upstream.dnsName("api.example.com", 443),
                        tls("api.example.com", 443).dialing("203.0.113.9")));
    assertThat(error)
        .hasMessageContaining("Expected the connection to go to dns api.example.com:443")
        .hasMessageContaining("upstream dialed 203.0.113.9:443");
  }

  @Test
  void theIssuesExample_withTheDefaultProfile() {
    assertThatPolicy(POLICY)
        .allows(
            tls("api.example.com", 443),
            http("httpbin.org", 80),
            tcp("10.20.30.40", 5432),
            tls("10.20.30.40", 5432))
        .denies(
            http("evil.com", 80).dialing("1.2.3.4"), tls("evil.com", 443), tcp("10.20.30.40", 5433))
        .respondsWith(503, http("evil.com", 80))
        .agreesWithIntentOn(
            tls("api.example.com", 443), http("evil.com", 80), tls("10.20.30.40", 5432));
  }

  @Test
  void theKumaProfile_hasKumasChainNames_andItsLimitations() {
    assertThatPolicy(POLICY)
        .usingProfile(TranslationProfile.KUMA)
        .allows(tls("api.example.com", 443), http("httpbin.org", 80), tcp("10.20.30.40", 5432))
        .denies(http("evil.com", 80).dialing("1.2.3.4"), tls("10.20.30.40", 5432))
        .respondsWith(503, http("evil.com", 80))
        .landsOnChain("meshpassthrough_tls_api.example.com_443", tls("api.example.com", 443));
  }

  @Test
  void aFailingAssertion_printsTheIntentTheDecisionAndTheTrace() {
    AssertionError error =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                assertThatPolicy(POLICY)
                    .usingProfile(TranslationProfile.KUMA)
                    .allows(http("evil.com", 80).dialing("1.2.3.4")));

    assertThat(error.getMessage())
        .contains(
            "Expected Envoy to allow the connection, but it denies it (DENY (HTTP_RESPONSE): 503: direct response of route")
        .contains("connection: HTTP/1.1 (Host evil.com) to 1.2.3.4:80")
        .contains("intent:     DENY   no appendMatch entry covers it")
        .contains("chain meshpassthrough_http_80, virtual host no_match")
        .contains("Host 'evil.com': catch-all domain '*' of virtual host no_match");
  }

  @Test
  void agreementFailures_nameTheKnownLimitation() {
    AssertionError error =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                assertThatPolicy(POLICY)
                    .usingProfile(TranslationProfile.KUMA)
                    .agreesWithIntentOn(tls("10.20.30.40", 5432)));

    assertThat(error.getMessage())
        .contains(
            "Expected Envoy to do what the policy means (intent ALLOW), but Envoy's decision is DENY")
        .contains("known Kuma limitation tls-on-tcp-rule");
  }

  @Test
  void anInvalidPolicy_failsWithItsViolations() {
    assertThatThrownBy(
            () ->
                assertThatPolicy(
                    """
        type: MeshPassthrough
        name: bad
        spec:
          default:
            appendMatch:
            - {type: Domain, value: api.example.com, protocol: tcp}
        """))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("protocol tcp is not supported for a domain");
    assertThatThrownBy(() -> assertThatPolicy("a: ["))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void typedConfs_otherProxies_andGivenResources() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 80, Protocol.TCP)));
    ProxyContext noTransparentProxy =
        new ProxyContext(
            "10.0.0.2",
            Optional.empty(),
            false,
            new java.util.TreeSet<>(),
            List.of(),
            ProxyContext.defaultTransparentProxy().listeners(),
            ProxyContext.defaultTransparentProxy().clusters());
    TranslationResult resources =
        PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA))
            .translate(conf, ProxyContext.defaultTransparentProxy());

    assertThatPolicy(conf)
        .usingProfile(TranslationProfile.KUMA)
        .allows(tcp("10.0.0.1", 80))
        .denies(tcp("10.0.0.2", 80));
    assertThatPolicy(conf).onProxy(noTransparentProxy).allows(tcp("10.0.0.2", 80));
    assertThatResources(conf, resources)
        .agreesWithIntentOn(tcp("10.0.0.1", 80), tcp("10.0.0.2", 80));
    assertThatResources(resources).allows(tcp("10.0.0.1", 80)).denies(tcp("10.0.0.2", 80));
    assertThatThrownBy(() -> assertThatResources(resources).agreesWithIntentOn(tcp("10.0.0.1", 80)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> assertThatResources(resources).onProxy(noTransparentProxy))
        .isInstanceOf(IllegalStateException.class);
  }
}
