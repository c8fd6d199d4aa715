package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.httpInspector;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDst;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.outbound;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tlsInspector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Upstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pinning probe ({@link RealEnvoy#startPinning}) on hand-written configurations shaped as the
 * exact profile pins Domain entries: a {@code STRICT_DNS} cluster, the SNI and HTTP dynamic forward
 * proxies, and an {@code ORIGINAL_DST} passthrough. Every connection dials {@code 127.0.0.3}, the
 * "spoofed" address, while the names resolve elsewhere on loopback; the sink that took Envoy's
 * upstream connection says where it went. {@code docs/envoy-behaviour.md} cites these tests (P1 to
 * P5, P7).
 */
class PinningProbeHarnessTest {
  static final String DIALED = "127.0.0.3";
  static final PinningProbe WORLD =
      new PinningProbe(
          Map.of(
              "api.test", InetAddresses.forString("127.0.1.1"),
              "x.dyn.test", InetAddresses.forString("127.0.1.2"),
              "web.test", InetAddresses.forString("127.0.1.3")),
          List.of(
              new InetSocketAddress("127.0.1.1", 18443),
              new InetSocketAddress("127.0.1.2", 18444),
              new InetSocketAddress("127.0.1.3", 18080),
              new InetSocketAddress("127.0.1.3", 18081),
              new InetSocketAddress(DIALED, 18443),
              new InetSocketAddress(DIALED, 18444),
              new InetSocketAddress(DIALED, 18080),
              new InetSocketAddress(DIALED, 18081),
              new InetSocketAddress(DIALED, 18090)));

  private static RealEnvoy envoy;

  @BeforeAll
  static void start() throws Exception {
    if (SharedRealEnvoy.skipped()) {
      org.junit.jupiter.api.Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    envoy = RealEnvoy.startPinning(WORLD);
    LoadResult loaded = envoy.load(List.of(listener()), clusters());
    assertThat(loaded.accepted()).as("%s\n%s", loaded, envoy.logTail()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      long pid = envoy.pid();
      envoy.close();
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  static Listener listener() throws Exception {
    return outbound(originalDst(), tlsInspector(), httpInspector())
        .addFilterChains(
            FilterChain.newBuilder()
                .setName("pinned")
                .setFilterChainMatch(
                    FilterChainMatch.newBuilder()
                        .setDestinationPort(UInt32Value.of(18443))
                        .setTransportProtocol("tls")
                        .addServerNames("api.test"))
                .addFilters(PinningFixtures.tcpProxy("strict_api")))
        .addFilterChains(PinningFixtures.sniDfpChain("dynamic", "*.dyn.test"))
        .addFilterChains(PinningFixtures.httpDfpChain("http", "web.test"))
        .addFilterChains(
            FilterChain.newBuilder()
                .setName("passthrough")
                .setFilterChainMatch(
                    FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(18090)))
                .addFilters(PinningFixtures.tcpProxy("passthrough")))
        .build();
  }

  static List<Cluster> clusters() {
    return List.of(
        PinningFixtures.strictDns("strict_api", "api.test", 18443),
        PinningFixtures.dfp("dfp_tls"),
        PinningFixtures.dfp("dfp_http"),
        PinningFixtures.originalDst("passthrough"));
  }

  private static Decision decide(Connection connection) {
    Decision decision = envoy.decide(connection.dialing(DIALED));
    assertThat(decision.isAllowed()).as("%s\n%s", decision, envoy.logTail()).isTrue();
    return decision;
  }

  @Test
  void strictDnsCluster_connectsToTheAddressTheResponderGivesItsName_notTheDialedOne() {
    assertThat(decide(Connection.tls("api.test", 18443)).upstream())
        .contains(Upstream.dnsName("api.test", 18443));
  }

  @Test
  void sniDynamicForwardProxy_resolvesTheSni_onTheDialedPort() {
    assertThat(decide(Connection.tls("x.dyn.test", 18444)).upstream())
        .contains(Upstream.dnsName("x.dyn.test", 18444));
  }

  @Test
  void httpDynamicForwardProxy_resolvesTheHost_onTheDialedPort_ignoringTheHostsPortAndCase() {
    assertThat(decide(Connection.http("web.test", 18080)).upstream())
        .contains(Upstream.dnsName("web.test", 18080));
    Connection otherPort =
        new Connection(
            InetAddresses.forString(DIALED),
            18081,
            new Connection.HttpRequest(
                Connection.HttpVersion.HTTP_1_1, Optional.of("web.test:18443")),
            Optional.empty());
    assertThat(decide(otherPort).upstream()).contains(Upstream.dnsName("web.test", 18081));
    Connection upperCase =
        new Connection(
            InetAddresses.forString(DIALED),
            18080,
            new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_1, Optional.of("WEB.Test")),
            Optional.empty());
    assertThat(decide(upperCase).upstream()).contains(Upstream.dnsName("web.test", 18080));
  }

  @Test
  void originalDstCluster_connectsToTheDialedAddress() {
    assertThat(decide(Connection.tcp(DIALED, 18090)).upstream())
        .contains(Upstream.dialed(DIALED, 18090));
  }

  @Test
  void envoyAsksTheResponderOnly_forTheNamesOfTheConfiguration_typeA() {
    decide(Connection.tls("api.test", 18443));
    decide(Connection.tls("x.dyn.test", 18444));
    decide(Connection.http("web.test", 18080));
    assertThat(envoy.dnsQueries())
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.type()).isEqualTo("A"))
        .extracting(PinningProbe.DnsQuery::name)
        .containsOnly("api.test", "x.dyn.test", "web.test");
  }

  @Test
  void theProbeConfiguration_resolvesWithTheResponderOnly_andEveryCopyOfTheCacheIsTheSame() {
    for (Cluster cluster : envoy.probeClusters()) {
      if (cluster.getType() == Cluster.DiscoveryType.STRICT_DNS) {
        assertThat(cluster.getTypedDnsResolverConfig().getName())
            .isEqualTo("envoy.network.dns_resolver.cares");
      }
    }
    // Throws when two places describe the cache differently.
    dev.meshpassthrough.testkit.envoy.internal.PinningRewrite.requireConsistentCaches(
        envoy.probeListeners(), envoy.probeClusters());
    assertThat(envoy.probeListeners().get(0).toString())
        .contains("envoy.network.dns_resolver.cares");
  }

  @Test
  void aRunningEnvoy_refusesADnsCacheWhoseSettingsChange_whileTheOldOneIsInUse() throws Exception {
    var auto = PinningFixtures.cache(Cluster.DnsLookupFamily.AUTO);
    Listener changed =
        outbound(originalDst(), tlsInspector(), httpInspector())
            .addFilterChains(PinningFixtures.sniDfpChain("dynamic", "*.dyn.test", auto))
            .build();
    LoadResult refused =
        envoy.load(List.of(changed), List.of(PinningFixtures.dfp("dfp_tls", auto)));
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.toString())
        .contains("config specified DNS cache 'meshpassthrough_dfp' with different settings");
    // The same configuration on its own is fine: envoy --mode validate passed it (the NACK is the
    // live load's), and a fresh Envoy takes it.
    try (RealEnvoy fresh = RealEnvoy.startPinning(new PinningProbe(WORLD.names(), List.of()))) {
      assertThat(
              fresh
                  .load(List.of(changed), List.of(PinningFixtures.dfp("dfp_tls", auto)))
                  .accepted())
          .isTrue();
    }
    assertThat(envoy.load(List.of(listener()), clusters()).accepted()).isTrue();
  }

  @Test
  void thePinningProbe_refusesWhatCouldLeaveLoopback() {
    assertThatThrownBy(() -> envoy.decide(Connection.tcp("192.0.2.1", 18090)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
    Cluster eds = Cluster.newBuilder().setName("eds").setType(Cluster.DiscoveryType.EDS).build();
    assertThatThrownBy(() -> envoy.load(List.of(), List.of(eds)))
        .isInstanceOf(RealEnvoyException.class);
    Cluster outside = PinningFixtures.strictDns("outside", "192.0.2.1", 443);
    assertThatThrownBy(() -> envoy.load(List.of(), List.of(outside)))
        .isInstanceOf(RealEnvoyException.class)
        .hasMessageContaining("192.0.2.1");
    // The earlier configuration still runs.
    decide(Connection.tcp(DIALED, 18090));
  }

  @Test
  void bothProbes_refuseADynamicForwardProxyTheyCannotRead() throws Exception {
    FilterChain chain = PinningFixtures.httpDfpChain("http", "web.test");
    var hcm =
        chain
            .getFilters(0)
            .getTypedConfig()
            .unpack(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                    .HttpConnectionManager.class);
    var xds =
        hcm.getHttpFilters(1).getTypedConfig().unpack(com.github.xds.type.v3.TypedStruct.class);
    // The same filter in the older udpa TypedStruct, which the probe does not rewrite.
    var udpa =
        com.github.udpa.udpa.type.v1.TypedStruct.newBuilder()
            .setTypeUrl(xds.getTypeUrl())
            .setValue(xds.getValue())
            .build();
    var hidden =
        hcm.toBuilder()
            .setHttpFilters(
                1,
                hcm.getHttpFilters(1).toBuilder()
                    .setTypedConfig(com.google.protobuf.Any.pack(udpa)))
            .build();
    Listener listener =
        outbound(originalDst(), tlsInspector(), httpInspector())
            .addFilterChains(
                chain.toBuilder()
                    .setFilters(
                        0,
                        chain.getFilters(0).toBuilder()
                            .setTypedConfig(com.google.protobuf.Any.pack(hidden))))
            .build();
    List<Cluster> dfp = List.of(PinningFixtures.dfp("dfp_http"));
    for (RealEnvoy probe : List.of(envoy, SharedRealEnvoy.get())) {
      assertThatThrownBy(() -> probe.load(List.of(listener), dfp))
          .isInstanceOf(RealEnvoyException.class)
          .hasMessageContaining("cannot read the dynamic forward proxy");
    }
    decide(Connection.tcp(DIALED, 18090)); // the earlier configuration still runs
  }

  @Test
  void theOneSinkProbe_refusesADynamicForwardProxy_whichWouldAskTheSystemsDns() throws Exception {
    assertThatThrownBy(() -> SharedRealEnvoy.get().load(List.of(listener()), clusters()))
        .isInstanceOf(RealEnvoyException.class)
        .hasMessageContaining("dynamic forward proxy");
  }
}
