package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.h2c;
import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the exact profile sends an allowed connection under each {@link DomainPinning}, worked
 * through the translator and the simulator, in both encodings, and what the intent expects.
 */
class PinningSimulationTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final String SPOOFED = "203.0.113.9";

  @Test
  void dns_exactDomainWithPort_goesToTheDomainOnTheEntrysPort() {
    PassthroughConf conf = conf(Match.of(domain("api.example.com"), 443, Protocol.TLS));

    for (Encoding encoding : Encoding.values()) {
      Explanation explanation =
          explain(conf, DomainPinning.DNS, encoding, tls("api.example.com", 443).dialing(SPOOFED));

      assertThat(explanation.decision().upstream())
          .contains(Upstream.dnsName("api.example.com", 443));
      assertThat(explanation.decision().clusterType()).contains("STRICT_DNS");
      assertThat(explanation.intent().upstreams())
          .containsExactly(Upstream.dnsName("api.example.com", 443));
      assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    }
  }

  @Test
  void dns_wildcard_keepsTheDialedAddress_withANote() {
    PassthroughConf conf = conf(Match.of(domain("*.example.com"), 443, Protocol.TLS));
    PolicySimulation simulation = simulation(conf, DomainPinning.DNS, Encoding.LEGACY);

    Explanation explanation = simulation.explain(tls("api.example.com", 443).dialing(SPOOFED));

    assertThat(explanation.decision().upstream()).contains(Upstream.dialed(SPOOFED, 443));
    assertThat(explanation.intent().upstreams()).containsExactly(Upstream.dialed(SPOOFED, 443));
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    assertThat(simulation.resources().notes())
        .extracting(Problem::ruleId)
        .containsExactly("translate.pinning.not-pinned");
  }

  @Test
  void dynamic_wildcardTls_goesToTheSniOnTheDialedPort() {
    PassthroughConf conf = conf(Match.onEveryPort(domain("*.example.com"), Protocol.TLS));

    for (Encoding encoding : Encoding.values()) {
      Explanation explanation =
          explain(
              conf, DomainPinning.DYNAMIC, encoding, tls("API.example.com", 8443).dialing(SPOOFED));

      assertThat(explanation.decision().upstream())
          .contains(Upstream.dnsName("api.example.com", 8443));
      assertThat(explanation.decision().clusterType())
          .contains("envoy.clusters.dynamic_forward_proxy");
      assertThat(explanation.intent().upstreams())
          .containsExactly(Upstream.dnsName("api.example.com", 8443));
      assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    }
  }

  @Test
  void dynamic_portlessHttp_takesTheHostWithoutItsPort_onTheDialedPort() {
    PassthroughConf conf = conf(Match.onEveryPort(domain("api.example.com"), Protocol.HTTP));

    for (Encoding encoding : Encoding.values()) {
      Explanation explanation =
          explain(
              conf,
              DomainPinning.DYNAMIC,
              encoding,
              http("api.example.com", 8080).dialing(SPOOFED).withHost("api.example.com:9999"));

      assertThat(explanation.decision().upstream())
          .contains(Upstream.dnsName("api.example.com", 8080));
      assertThat(explanation.decision().traceText())
          .contains("envoy.upstream.dynamic_host = 'api.example.com'")
          .contains("envoy.upstream.dynamic_port = '8080'");
      assertThat(explanation.intent().upstreams())
          .containsExactly(Upstream.dnsName("api.example.com", 8080));
      assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    }
  }

  @Test
  void dynamic_h2c_goesToTheAuthority() {
    PassthroughConf conf = conf(Match.of(domain("*.example.org"), 80, Protocol.GRPC));

    Explanation explanation =
        explain(conf, DomainPinning.DYNAMIC, Encoding.MATCHER, h2c("api.example.org", 80));

    assertThat(explanation.decision().upstream()).contains(Upstream.dnsName("api.example.org", 80));
    assertThat(explanation.decision().cluster()).contains("meshpassthrough_dfp_http2");
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
  }

  @Test
  void dynamic_numericWildcard_keepsTheDialedAddress() {
    PassthroughConf conf = conf(Match.of(domain("*.0.1"), 443, Protocol.TLS));

    Explanation explanation =
        explain(conf, DomainPinning.DYNAMIC, Encoding.LEGACY, tls("a.0.1", 443).dialing(SPOOFED));

    assertThat(explanation.decision().upstream()).contains(Upstream.dialed(SPOOFED, 443));
    assertThat(explanation.intent().upstreams()).containsExactly(Upstream.dialed(SPOOFED, 443));
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
  }

  @Test
  void everyMode_ipEntry_keepsTheDialedAddress() {
    PassthroughConf conf = conf(Match.of(ip("10.0.0.1"), 443, Protocol.TCP));

    for (DomainPinning pinning : DomainPinning.values()) {
      Explanation explanation = explain(conf, pinning, Encoding.LEGACY, tcp("10.0.0.1", 443));

      assertThat(explanation.decision().upstream()).contains(Upstream.dialed("10.0.0.1", 443));
      assertThat(explanation.intent().upstreams())
          .containsExactly(Upstream.dialed("10.0.0.1", 443));
      assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    }
  }

  @Test
  void anIpEntryBesideAPinnedDomain_letsEitherUpstreamAgree() {
    PassthroughConf conf =
        conf(
            Match.of(domain("api.example.com"), 443, Protocol.TLS),
            Match.onEveryPort(cidr("10.0.0.0/8"), Protocol.TCP));

    Explanation explanation =
        explain(
            conf,
            DomainPinning.DNS,
            Encoding.LEGACY,
            tls("api.example.com", 443).dialing("10.1.2.3"));

    assertThat(explanation.intent().upstreams())
        .containsExactly(
            Upstream.dialed("10.1.2.3", 443), Upstream.dnsName("api.example.com", 443));
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
  }

  @Test
  void off_isTheUnpinnedTranslation_everyUpstreamIsTheDialedAddress() {
    PassthroughConf conf = conf(Match.of(domain("api.example.com"), 443, Protocol.TLS));

    Explanation explanation =
        explain(
            conf, DomainPinning.OFF, Encoding.LEGACY, tls("api.example.com", 443).dialing(SPOOFED));

    assertThat(explanation.decision().upstream()).contains(Upstream.dialed(SPOOFED, 443));
    assertThat(explanation.agrees()).isTrue();
  }

  @Test
  void aDecisionOffTheIntendedUpstream_disagrees() {
    PassthroughConf conf = conf(Match.of(domain("api.example.com"), 443, Protocol.TLS));
    // Resources translated without pinning, judged against the DNS pinning's intent.
    PolicySimulation unpinned = simulation(conf, DomainPinning.OFF, Encoding.LEGACY);
    PolicySimulation judgedPinned =
        PolicySimulation.of(
            conf,
            unpinned.resources(),
            TranslatorOptions.defaults().withDomainPinning(DomainPinning.DNS),
            PROXY);

    Explanation explanation = judgedPinned.explain(tls("api.example.com", 443).dialing(SPOOFED));

    assertThat(explanation.verdictsAgree()).isTrue();
    assertThat(explanation.agrees()).isFalse();
    assertThat(explanation.toText())
        .contains("may go to dns api.example.com:443")
        .contains("upstream dialed " + SPOOFED + ":443")
        .contains("DISAGREE (upstream not one the policy allows)");
  }

  private static Explanation explain(
      PassthroughConf conf, DomainPinning pinning, Encoding encoding, Connection connection) {
    return simulation(conf, pinning, encoding).explain(connection);
  }

  private static PolicySimulation simulation(
      PassthroughConf conf, DomainPinning pinning, Encoding encoding) {
    PolicySimulation simulation =
        PolicySimulation.translate(
            conf,
            TranslatorOptions.defaults().withEncoding(encoding).withDomainPinning(pinning),
            PROXY);
    assertThat(EnvoyAcceptance.check(simulation.resources())).isEmpty();
    return simulation;
  }

  private static PassthroughConf conf(Match... matches) {
    return PassthroughConf.of(PassthroughMode.MATCHED, List.of(matches));
  }

  private static Destination domain(String name) {
    return Destination.of(MatchType.DOMAIN, name);
  }

  private static Destination ip(String ip) {
    return Destination.of(MatchType.IP, ip);
  }

  private static Destination cidr(String cidr) {
    return Destination.of(MatchType.CIDR, cidr);
  }
}
