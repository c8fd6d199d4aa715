package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ports handed off so that server-first traffic behind a {@code tcp} or {@code mysql} IP rule does
 * not wait for the listener-filter timeout (issue 12 §3b.2). Envoy 1.40 runs every listener filter
 * of the passthrough listener before its {@code use_original_dst} hand-off, so the port's
 * inspection moves to a listener of its own and the rule's address gets one without inspectors.
 */
class HandOffTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final String IPV4 = "self_transparentproxy_passthrough_outbound_ipv4";
  private static final List<Match> SMTP_BESIDE_TLS =
      List.of(
          Match.of(Destination.of(MatchType.IP, "10.0.0.5"), 443, Protocol.TCP),
          Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
          Match.of(Destination.of(MatchType.IP, "10.0.0.7"), 3306, Protocol.MYSQL));

  private static TranslationResult translate(
      Encoding encoding, List<Match> matches, ProxyContext proxy) {
    return PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(encoding))
        .translate(PassthroughConf.of(PassthroughMode.MATCHED, matches), proxy);
  }

  private static List<String> names(TranslationResult result) {
    return result.listeners().stream().map(Listener::getName).toList();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void
      aTcpIpRuleOnAnInspectedPort_getsAListenerWithoutInspectors_andThePortMovesToAListenerOfItsOwn(
          Encoding encoding) {
    TranslationResult result = translate(encoding, SMTP_BESIDE_TLS, PROXY);
    assertThat(names(result))
        .containsExactly(
            "meshpassthrough_10.0.0.5_443",
            "meshpassthrough_port_443_ipv4",
            IPV4,
            "self_transparentproxy_passthrough_outbound_ipv6");

    Listener address = result.listener("meshpassthrough_10.0.0.5_443").orElseThrow();
    assertThat(address.getAddress().getSocketAddress().getAddress()).isEqualTo("10.0.0.5");
    assertThat(address.getAddress().getSocketAddress().getPortValue()).isEqualTo(443);
    assertThat(address.getBindToPort().getValue()).isFalse();
    assertThat(address.hasBindToPort()).isTrue();
    assertThat(address.getTrafficDirection()).isEqualTo(TrafficDirection.OUTBOUND);
    assertThat(address.getListenerFiltersList()).isEmpty();
    assertThat(address.getFilterChainsList())
        .singleElement()
        .satisfies(
            chain -> {
              assertThat(chain.hasFilterChainMatch()).isFalse();
              assertThat(chain.getName()).isEqualTo("meshpassthrough_443_10.0.0.5/32_any");
            });

    Listener port = result.listener("meshpassthrough_port_443_ipv4").orElseThrow();
    assertThat(port.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(port.getBindToPort().getValue()).isFalse();
    assertThat(port.getContinueOnListenerFiltersTimeout()).isTrue();
    assertThat(port.getListenerFiltersList())
        .extracting(ListenerFilter::getName)
        .containsExactly(
            "envoy.filters.listener.tls_inspector", "envoy.filters.listener.http_inspector");
    assertThat(port.getListenerFiltersList()).noneMatch(ListenerFilter::hasFilterDisabled);

    Listener passthrough = result.listener(IPV4).orElseThrow();
    assertThat(passthrough.getFilterChainsList())
        .extracting(FilterChain::getName)
        .noneMatch(n -> n.contains("443"));
    // No port keeps its inspectors on the passthrough listener: 443 is handed off, 3306 needs none.
    assertThat(passthrough.getListenerFilters(1).getFilterDisabled().getAnyMatch()).isTrue();
    assertThat(passthrough.getListenerFilters(2).getFilterDisabled().getAnyMatch()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void noHandOff_forCidrsWiderThanOneAddress_norOnPortsWithoutInspection(Encoding encoding) {
    TranslationResult result =
        translate(
            encoding,
            List.of(
                Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/8"), 443, Protocol.TCP),
                Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
                Match.of(Destination.of(MatchType.IP, "10.0.0.7"), 3306, Protocol.MYSQL)),
            PROXY);
    assertThat(names(result))
        .containsExactly(IPV4, "self_transparentproxy_passthrough_outbound_ipv6");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aCidrOfAFewAddresses_getsAListenerPerAddress_withTheMostSpecificTcpRulesCluster(
      Encoding encoding) throws Exception {
    TranslationResult result =
        translate(
            encoding,
            List.of(
                Match.of(Destination.of(MatchType.CIDR, "10.0.0.4/30"), 25, Protocol.TCP),
                Match.of(Destination.of(MatchType.IP, "10.0.0.6"), 25, Protocol.MYSQL),
                Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/27"), 25, Protocol.TCP),
                Match.of(Destination.of(MatchType.DOMAIN, "mail.example.com"), 25, Protocol.TLS)),
            PROXY);
    assertThat(names(result))
        .containsExactly(
            "meshpassthrough_10.0.0.4_25",
            "meshpassthrough_10.0.0.5_25",
            "meshpassthrough_10.0.0.6_25",
            "meshpassthrough_10.0.0.7_25",
            "meshpassthrough_port_25_ipv4",
            IPV4,
            "self_transparentproxy_passthrough_outbound_ipv6");
    assertThat(
            result
                .listener("meshpassthrough_10.0.0.6_25")
                .orElseThrow()
                .getFilterChains(0)
                .getName())
        .isEqualTo("meshpassthrough_25_10.0.0.6/32_any");
    assertThat(cluster(result, "meshpassthrough_10.0.0.6_25"))
        .isEqualTo("meshpassthrough_mysql_10.0.0.6_25");
    assertThat(cluster(result, "meshpassthrough_10.0.0.7_25"))
        .isEqualTo("meshpassthrough_tcp_10.0.0.4/30_25");
  }

  private static String cluster(TranslationResult result, String listener) throws Exception {
    return result
        .listener(listener)
        .orElseThrow()
        .getFilterChains(0)
        .getFilters(0)
        .getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.class)
        .getCluster();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aCidrOfOneAddress_isHandedOffLikeAnIp_andIpv6GetsItsOwnListeners(Encoding encoding) {
    TranslationResult result =
        translate(
            encoding,
            List.of(
                Match.of(Destination.of(MatchType.CIDR, "2001:db8::10/128"), 443, Protocol.TCP),
                Match.onEveryPort(
                    Destination.of(MatchType.DOMAIN, "api.example.com"), Protocol.TLS)),
            PROXY);
    assertThat(names(result))
        .contains("meshpassthrough_2001:db8::10_443", "meshpassthrough_port_443_ipv6");
    assertThat(
            result
                .listener("meshpassthrough_port_443_ipv6")
                .orElseThrow()
                .getAddress()
                .getSocketAddress()
                .getAddress())
        .isEqualTo("::");
    // Port-less TLS needs the inspectors on every port: the passthrough listener turns them off on
    // 443 only.
    Listener ipv6 =
        result.listener("self_transparentproxy_passthrough_outbound_ipv6").orElseThrow();
    assertThat(ipv6.getListenerFilters(1).getFilterDisabled().getDestinationPortRange().getStart())
        .isEqualTo(443);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aPortOrAddressAListenerOfTheProxyIsBoundTo_isLeftAlone(Encoding encoding) {
    List<ProxyContext.ExistingListener> listeners = new ArrayList<>(PROXY.listeners());
    listeners.add(
        new ProxyContext.ExistingListener(
            "outbound", unbound("outbound:10.0.0.5:443", "10.0.0.5", 443)));
    assertThat(
            names(
                translate(
                    encoding, SMTP_BESIDE_TLS, PROXY.withResources(listeners, PROXY.clusters()))))
        .doesNotContain("meshpassthrough_10.0.0.5_443", "meshpassthrough_port_443_ipv4");
    listeners.set(
        listeners.size() - 1,
        new ProxyContext.ExistingListener("outbound", unbound("outbound:443", "0.0.0.0", 443)));
    assertThat(
            names(
                translate(
                    encoding, SMTP_BESIDE_TLS, PROXY.withResources(listeners, PROXY.clusters()))))
        .doesNotContain("meshpassthrough_10.0.0.5_443", "meshpassthrough_port_443_ipv4");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void withAnInboundPassthroughThatHandsOffToo_nothingIsHandedOff_andTheTranslationSaysWhy(
      Encoding encoding) {
    // Envoy looks a hand-off target up by address only: inbound:passthrough:ipv4 would hand inbound
    // connections to an undeclared port 443 to meshpassthrough_port_443_ipv4, the outbound table.
    List<ProxyContext.ExistingListener> listeners = new ArrayList<>(PROXY.listeners());
    listeners.add(
        new ProxyContext.ExistingListener(
            "transparent",
            unbound("inbound:passthrough:ipv4", "0.0.0.0", 15006).toBuilder()
                .setUseOriginalDst(com.google.protobuf.BoolValue.of(true))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .build()));
    TranslationResult result =
        translate(encoding, SMTP_BESIDE_TLS, PROXY.withResources(listeners, PROXY.clusters()));
    assertThat(names(result))
        .containsExactly(
            "inbound:passthrough:ipv4", IPV4, "self_transparentproxy_passthrough_outbound_ipv6");
    assertThat(result.notes())
        .anySatisfy(
            note ->
                assertThat(note.message())
                    .contains(
                        "ports [443] of listener " + IPV4 + " are not handed off",
                        "inbound:passthrough:ipv4",
                        "listener_filters_timeout"));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void moreAddressListenersThanTheBound_handNothingOff_andSaySo(Encoding encoding) {
    List<Match> matches = new ArrayList<>();
    matches.add(
        Match.onEveryPort(Destination.of(MatchType.DOMAIN, "api.example.com"), Protocol.TLS));
    for (int i = 0; i < 101; i++) {
      matches.add(
          Match.onEveryPort(Destination.of(MatchType.IP, "10.0.0." + (i + 1)), Protocol.TCP));
    }
    for (int port = 1; port <= 10; port++) {
      matches.add(Match.of(Destination.of(MatchType.IP, "192.168.0.1"), port, Protocol.TCP));
    }
    TranslationResult result = translate(encoding, matches, PROXY);
    assertThat(names(result))
        .containsExactly(IPV4, "self_transparentproxy_passthrough_outbound_ipv6");
    assertThat(result.notes())
        .anySatisfy(
            note -> {
              assertThat(note.ruleId()).isEqualTo("translate.handoff.withheld");
              assertThat(note.message()).contains("1020 address listeners, more than 1000");
            });
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void bothEncodings_handOffTheSamePortsAndAddresses_toTheSameClusters(Encoding encoding) {
    TranslationResult legacy = translate(Encoding.LEGACY, SMTP_BESIDE_TLS, PROXY);
    TranslationResult other = translate(encoding, SMTP_BESIDE_TLS, PROXY);
    assertThat(names(other)).isEqualTo(names(legacy));
    assertThat(other.listener("meshpassthrough_10.0.0.5_443"))
        .isEqualTo(legacy.listener("meshpassthrough_10.0.0.5_443"));
    assertThat(other.clusters()).isEqualTo(legacy.clusters());
  }

  private static Listener unbound(String name, String ip, int port) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)))
        .build();
  }
}
