package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision.Outcome;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How a real Envoy 1.40 evaluates a listener's {@code filter_chain_matcher} (Matcher API), each
 * fact checked against the simulator too. Matchers are written in Envoy's JSON shape.
 */
class EnvoyMatcherBehaviourTest {
  private static final String DPORT = input("dport", "DestinationPortInput");
  private static final String DIP = input("dip", "DestinationIPInput");
  private static final String SNI = input("sni", "ServerNameInput");

  @Test
  void matcherList_theFirstEntryThatResolvesWins_andANestedMissLetsTheNextEntryTry() {
    BehaviourFixtures.Judge envoy =
        load(
            list(
                entry(
                    exact(DPORT, "443"),
                    "{\"matcher\": " + list(entry(exact(SNI, "a.example.com"), action("A"))) + "}"),
                entry(exact(DPORT, "443"), action("B"))),
            "",
            "A",
            "B");

    assertThat(envoy.decide(Connection.tls("a.example.com", 443)).chain()).contains("A");
    assertThat(envoy.decide(Connection.tls("b.example.com", 443)).chain()).contains("B");
    assertThat(envoy.decide(Connection.tls("b.example.com", 80)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void exactMatchMap_aNestedMissFallsBackToTheMapsOnNoMatch() {
    String matcher =
        "{\"matcher_tree\": {\"input\": "
            + DPORT
            + ", \"exact_match_map\": {\"map\": {\"443\": {\"matcher\": "
            + list(entry(exact(SNI, "a.example.com"), action("A")))
            + "}}}}, \"on_no_match\": "
            + action("C")
            + "}";
    BehaviourFixtures.Judge envoy = load(matcher, "", "A", "C");

    assertThat(envoy.decide(Connection.tls("a.example.com", 443)).chain()).contains("A");
    assertThat(envoy.decide(Connection.tls("b.example.com", 443)).chain()).contains("C");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 80)).chain()).contains("C");
  }

  @Test
  void prefixMatchMap_retriesShorterPrefixes_whenTheLongestMisses() {
    String matcher =
        "{\"matcher_tree\": {\"input\": "
            + DIP
            + ", \"prefix_match_map\": {\"map\": {"
            + "\"10.1.\": {\"matcher\": "
            + list(entry(exact(SNI, "a.example.com"), action("A")))
            + "}, "
            + "\"10.\": "
            + action("B")
            + "}}}}";
    BehaviourFixtures.Judge envoy = load(matcher, "", "A", "B");

    assertThat(envoy.decide(Connection.tls("a.example.com", 443).dialing("10.1.2.3")).chain())
        .contains("A");
    assertThat(envoy.decide(Connection.tls("b.example.com", 443).dialing("10.1.2.3")).chain())
        .contains("B");
    assertThat(envoy.decide(Connection.tcp("10.2.0.1", 443)).chain()).contains("B");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
  }

  @Test
  void noMatch_goesToTheDefaultFilterChain_andTheChainsOwnMatchesAreIgnored() {
    String ignoredMatch = "filter_chain_match: {destination_port: 9999}, ";
    BehaviourFixtures.Judge envoy =
        load(
            list(entry(exact(DPORT, "443"), action("A"))),
            "default_filter_chain: " + chain("fallback", "") + ",",
            "A:" + ignoredMatch);

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).chain()).contains("A");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 9999)).chain()).contains("fallback");
  }

  @Test
  void anActionNamingAMissingChain_isAccepted_andClosesTheConnection_evenWithADefaultChain() {
    BehaviourFixtures.Judge envoy =
        load(
            list(entry(exact(DPORT, "443"), action("ghost"))),
            "default_filter_chain: " + chain("fallback", "") + ",",
            "A");

    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 80)).chain()).contains("fallback");
  }

  @Test
  void networkInputs_giveTheAddressTheLowercasedSniTheTransportAndTheQuotedAlpnList() {
    String alpn = input("alpn", "ApplicationProtocolInput");
    String transport = input("tp", "TransportProtocolInput");
    BehaviourFixtures.Judge envoy =
        load(
            list(
                entry(exact(alpn, "'h2','http/1.1'"), action("alpn-list")),
                entry(exact(SNI, "mixed.example.com"), action("sni-lower")),
                entry(exact(DIP, "10.1.2.3"), action("ipv4-literal")),
                entry(exact(transport, "raw_buffer"), action("raw")),
                entry(exact(transport, "tls"), action("tls"))),
            "",
            "alpn-list",
            "sni-lower",
            "ipv4-literal",
            "raw",
            "tls");

    assertThat(
            envoy.decide(Connection.tls("api.example.com", 443).withAlpn("h2", "http/1.1")).chain())
        .contains("alpn-list");
    assertThat(envoy.decide(Connection.tls("Mixed.Example.COM", 443)).chain())
        .contains("sni-lower");
    assertThat(envoy.decide(Connection.tcp("10.1.2.3", 443)).chain()).contains("ipv4-literal");
    assertThat(envoy.decide(Connection.tcp("192.0.2.9", 443)).chain()).contains("raw");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).chain()).contains("tls");
  }

  /**
   * Loads one outbound listener (original_dst, tls_inspector) with {@code matcher}, the extra
   * listener fields {@code extra}, and tcp_proxy chains; a chain written {@code NAME:FIELDS} gets
   * those fields too.
   */
  private static BehaviourFixtures.Judge load(String matcher, String extra, String... chains) {
    String chainList =
        Arrays.stream(chains)
            .map(
                c ->
                    c.contains(":")
                        ? chain(c.substring(0, c.indexOf(':')), c.substring(c.indexOf(':') + 1))
                        : chain(c, ""))
            .collect(Collectors.joining(", "));
    return BehaviourFixtures.loadYaml(
        """
        resources:
          listeners:
          - {name: outbound, address: {socket_address: {address: 0.0.0.0, port_value: 15001}},
             use_original_dst: true, traffic_direction: OUTBOUND, %s
             listener_filters: [
               {name: envoy.filters.listener.original_dst, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst}},
               {name: envoy.filters.listener.tls_inspector, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector}}],
             filter_chains: [%s],
             filter_chain_matcher: %s}
          clusters:
          - {name: passthrough, type: ORIGINAL_DST, lb_policy: CLUSTER_PROVIDED, connect_timeout: 5s}
        """
            .formatted(extra, chainList, matcher));
  }

  private static String chain(String name, String fields) {
    return "{name: "
        + name
        + ", "
        + fields
        + "filters: [{name: envoy.filters.network.tcp_proxy, typed_config: "
        + "{\"@type\": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: passthrough}}]}";
  }

  private static String input(String name, String type) {
    return "{\"name\": \""
        + name
        + "\", \"typed_config\": {\"@type\": "
        + "\"type.googleapis.com/envoy.extensions.matching.common_inputs.network.v3."
        + type
        + "\"}}";
  }

  private static String exact(String input, String value) {
    return "{\"single_predicate\": {\"input\": "
        + input
        + ", \"value_match\": {\"exact\": \""
        + value
        + "\"}}}";
  }

  private static String action(String chain) {
    return "{\"action\": {\"name\": \"fc\", \"typed_config\": {\"@type\": \"type.googleapis.com/google.protobuf.StringValue\", "
        + "\"value\": \""
        + chain
        + "\"}}}";
  }

  private static String entry(String predicate, String onMatch) {
    return "{\"predicate\": " + predicate + ", \"on_match\": " + onMatch + "}";
  }

  private static String list(String... entries) {
    return "{\"matcher_list\": {\"matchers\": [" + String.join(", ", entries) + "]}}";
  }
}
