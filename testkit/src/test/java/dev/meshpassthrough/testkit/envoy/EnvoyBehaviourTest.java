package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.cidr;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.httpInspector;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.load;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.match;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDst;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.outbound;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.port;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tcpChain;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tlsInspector;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a real Envoy 1.40 picks a filter chain with legacy {@code filter_chain_match}, each fact
 * checked against the simulator too. {@code docs/envoy-behaviour.md} cites these tests.
 */
class EnvoyBehaviourTest {

  @Test
  void destinationPort_anExactPortBranch_hidesTheAnyPortBranch() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector(), httpInspector())
                .addFilterChains(
                    tcpChain("cidr-any-port", match().addPrefixRanges(cidr("10.0.0.0", 8))))
                .addFilterChains(
                    tcpChain("http-80", port(80).addApplicationProtocols("http/1.1"))));

    assertThat(envoy.decide(Connection.http("10.1.2.3", 80)).chain()).contains("http-80");
    assertThat(envoy.decide(Connection.tcp("10.1.2.3", 81)).chain()).contains("cidr-any-port");
    assertThat(envoy.decide(Connection.tcp("10.1.2.3", 80)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void destinationIp_theLongestPrefixWins_andALessSpecificPrefixIsNeverTried() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(tcpChain("wide", match().addPrefixRanges(cidr("10.0.0.0", 8))))
                .addFilterChains(
                    tcpChain(
                        "narrow-tls",
                        match()
                            .addPrefixRanges(cidr("10.1.0.0", 16))
                            .setTransportProtocol("tls"))));

    assertThat(envoy.decide(Connection.tcp("10.2.0.1", 443)).chain()).contains("wide");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443).dialing("10.1.2.3")).chain())
        .contains("narrow-tls");
    assertThat(envoy.decide(Connection.tcp("10.1.2.3", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void serverNames_exactFirst_thenTheLongestWildcardSuffix_thenChainsWithout() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(tcpChain("exact", match().addServerNames("www.example.com")))
                .addFilterChains(tcpChain("wildcard", match().addServerNames("*.example.com")))
                .addFilterChains(
                    tcpChain("longer-wildcard", match().addServerNames("*.a.example.com")))
                .addFilterChains(tcpChain("no-names", match())));

    assertThat(envoy.decide(Connection.tls("www.example.com", 443)).chain()).contains("exact");
    assertThat(envoy.decide(Connection.tls("x.example.com", 443)).chain()).contains("wildcard");
    assertThat(envoy.decide(Connection.tls("x.a.example.com", 443)).chain())
        .contains("longer-wildcard");
    assertThat(envoy.decide(Connection.tls("b.x.example.com", 443)).chain())
        .as("any depth")
        .contains("wildcard");
    assertThat(envoy.decide(Connection.tls("example.com", 443)).chain())
        .as("not the bare parent")
        .contains("no-names");
    assertThat(envoy.decide(Connection.tls("WWW.Example.COM", 443)).chain())
        .as("SNI compared in lower case")
        .contains("exact");
    assertThat(envoy.decide(Connection.tls("example.com.", 443)).chain())
        .as("a trailing dot is another name")
        .contains("no-names");
  }

  @Test
  void serverNames_aMatchingNameIsFinal_evenWhenALaterLevelFindsNothing() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(
                    tcpChain(
                        "exact-h2",
                        match().addServerNames("www.example.com").addApplicationProtocols("h2")))
                .addFilterChains(tcpChain("no-names", match())));

    assertThat(envoy.decide(Connection.tls("www.example.com", 443).withAlpn("h2")).chain())
        .contains("exact-h2");
    assertThat(envoy.decide(Connection.tls("www.example.com", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tls("other.example.com", 443)).chain()).contains("no-names");
  }

  @Test
  void transportProtocol_exactBeforeChainsWithout_andRawBufferWhenNoFilterSetOne() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(tcpChain("tls", port(443).setTransportProtocol("tls")))
                .addFilterChains(tcpChain("any-transport", port(443)))
                .addFilterChains(tcpChain("raw", port(8080).setTransportProtocol("raw_buffer"))));

    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).chain()).contains("tls");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).chain()).contains("any-transport");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 8080)).chain()).contains("raw");
    assertThat(envoy.decide(Connection.tls("api.example.com", 8080)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void applicationProtocols_theClientsOrderDecides_andAListedValueBeatsChainsWithout() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(tcpChain("h2", match().addApplicationProtocols("h2")))
                .addFilterChains(tcpChain("http11", match().addApplicationProtocols("http/1.1")))
                .addFilterChains(tcpChain("no-alpn", match())));

    assertThat(
            envoy.decide(Connection.tls("api.example.com", 443).withAlpn("http/1.1", "h2")).chain())
        .contains("http11");
    assertThat(
            envoy.decide(Connection.tls("api.example.com", 443).withAlpn("h2", "http/1.1")).chain())
        .contains("h2");
    assertThat(
            envoy.decide(Connection.tls("api.example.com", 443).withAlpn("spdy/3", "h2")).chain())
        .contains("h2");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443).withAlpn("spdy/3")).chain())
        .contains("no-alpn");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).chain()).contains("no-alpn");
  }

  @Test
  void sourceCriteria_comeLast_sourcePrefixBeforeSourcePort() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    tcpChain("from-lab", match().addSourcePrefixRanges(cidr("198.51.100.0", 24))))
                .addFilterChains(tcpChain("from-port", match().addSourcePorts(40000)))
                .addFilterChains(tcpChain("anyone", match())));

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443).from("198.51.100.7", 1234)).chain())
        .contains("from-lab");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443).from("203.0.113.7", 40000)).chain())
        .contains("from-port");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443).from("198.51.100.7", 40000)).chain())
        .contains("from-lab");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443).from("203.0.113.7", 1234)).chain())
        .contains("anyone");
  }

  @Test
  void sourceType_externalClientsTakeTheExternalBranch() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    tcpChain("external", match().setSourceType(ConnectionSourceType.EXTERNAL)))
                .addFilterChains(
                    tcpChain(
                        "local", match().setSourceType(ConnectionSourceType.SAME_IP_OR_LOOPBACK))));

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443).from("198.51.100.8", 1235)).chain())
        .contains("external");
  }

  @Test
  void defaultFilterChain_takesWhatNoChainMatches_andItsOwnMatchIsIgnored() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(tcpChain("p443", port(443)))
                .setDefaultFilterChain(tcpChain("fallback", port(9999))));

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).chain()).contains("p443");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 80)).chain()).contains("fallback");
  }

  @Test
  void noMatchingChain_closesTheConnection_andIsLoggedAsFilterChainNotFound() {
    BehaviourFixtures.Judge envoy =
        load(outbound(originalDst()).addFilterChains(tcpChain("p443", port(443))));

    Decision decision = envoy.decide(Connection.tcp("192.0.2.1", 80));

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(decision.reason()).contains("filter_chain_not_found");
  }

  @Test
  void proxyProtocolHeader_restoresTheDialedAddress_beforeTheChainIsChosen() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    tcpChain("doc-net-443", port(443).addPrefixRanges(cidr("203.0.113.0", 24)))));

    assertThat(envoy.decide(Connection.tcp("203.0.113.5", 443)).chain()).contains("doc-net-443");
    assertThat(envoy.decide(Connection.tcp("203.0.114.5", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void unnamedChains_haveAnEmptyFilterChainNameInTheAccessLog() {
    FilterChain first = tcpChain("", port(443));
    FilterChain second = tcpChain("", port(444));
    BehaviourFixtures.Judge envoy =
        load(outbound(originalDst()).addFilterChains(first).addFilterChains(second));

    Decision real = envoy.real(Connection.tcp("192.0.2.1", 443));

    assertThat(real.isAllowed()).isTrue();
    assertThat(real.chain())
        .as("Envoy logs no name, and two unnamed chains cannot be told apart")
        .isEmpty();
    assertThat(envoy.simulated(Connection.tcp("192.0.2.1", 443)).chain()).contains("#0");
  }

  @Test
  void tcpProxyToAMissingCluster_isAccepted_andFailsTheConnectionAtRunTime() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(tcpChain("to-nowhere", match(), "no-such-cluster")));

    Decision decision = envoy.decide(Connection.tcp("192.0.2.1", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.MISSING_CLUSTER);
    assertThat(decision.cluster())
        .as("Envoy logs no upstream cluster, only the response flag NC")
        .isEmpty();
    assertThat(envoy.simulated(Connection.tcp("192.0.2.1", 443)).cluster())
        .isEqualTo(Optional.of("no-such-cluster"));
  }

  @Test
  void destinationPortUnset_isTheAnyPortBranch() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    tcpChain(
                        "any",
                        match().setDestinationPort(UInt32Value.of(0)).clearDestinationPort())));

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 1)).chain()).contains("any");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 65535)).chain()).contains("any");
  }

  @Test
  void
      prefixRanges_areNormalised_hostBitsCleared_ipv4LengthsAbove32Clamped_andAnUnsetLengthIsSlashZero() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    tcpChain("host-bits", port(1001).addPrefixRanges(cidr("10.1.2.3", 8))))
                .addFilterChains(
                    tcpChain("len-33", port(1002).addPrefixRanges(cidr("10.1.2.3", 33))))
                .addFilterChains(
                    tcpChain(
                        "no-len",
                        port(1003)
                            .addPrefixRanges(
                                io.envoyproxy.envoy.config.core.v3.CidrRange.newBuilder()
                                    .setAddressPrefix("10.0.0.0")))));

    assertThat(envoy.decide(Connection.tcp("10.200.0.1", 1001)).chain()).contains("host-bits");
    assertThat(envoy.decide(Connection.tcp("10.1.2.3", 1002)).chain()).contains("len-33");
    assertThat(envoy.decide(Connection.tcp("10.1.2.4", 1002)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 1003)).chain())
        .as("no prefix_len: /0")
        .contains("no-len");
  }

  @Test
  void ipv6Destinations_matchIpv6PrefixRanges_andChainsWithoutPrefixRanges() {
    io.envoyproxy.envoy.config.listener.v3.Listener ipv4 =
        outbound(originalDst()).addFilterChains(tcpChain("v4-any", match())).build();
    io.envoyproxy.envoy.config.listener.v3.Listener ipv6 =
        BehaviourFixtures.listener("outbound6", "::", 15001)
            .setUseOriginalDst(com.google.protobuf.BoolValue.of(true))
            .addListenerFilters(originalDst())
            .addFilterChains(
                tcpChain("doc-net-v6", port(443).addPrefixRanges(cidr("2001:db8::", 32))))
            .addFilterChains(tcpChain("v6-any-address", port(8080)))
            .build();
    BehaviourFixtures.Judge envoy =
        BehaviourFixtures.load(
            java.util.List.of(ipv4, ipv6),
            java.util.List.of(BehaviourFixtures.originalDstCluster(BehaviourFixtures.CLUSTER)));

    assertThat(envoy.decide(Connection.tcp("2001:db8::5", 443)).chain()).contains("doc-net-v6");
    assertThat(envoy.decide(Connection.tcp("2001:db9::5", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tcp("2001:db9::5", 8080)).chain())
        .contains("v6-any-address");
  }

  @Test
  void aChainWithoutFilters_isAccepted_andClosesTheConnection() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(
                    FilterChain.newBuilder().setName("empty").setFilterChainMatch(port(443))));

    Decision decision = envoy.decide(Connection.tcp("192.0.2.1", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_NETWORK_FILTER);
    assertThat(decision.chain()).contains("empty");
  }
}
