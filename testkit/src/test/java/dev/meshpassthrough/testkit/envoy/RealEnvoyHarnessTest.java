package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.EnvoySimulator;
import dev.meshpassthrough.testkit.envoy.internal.ProbeRewriter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: what it refuses, what it leaves behind, and what it reports. */
class RealEnvoyHarnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLoadedProbeConfiguration_hasOnlyStaticLoopbackClusters_asEnvoyItselfReports()
      throws IOException {
    TranslationResult resources =
        RealEnvoyConformanceTest.translate(
            "basic",
            RealEnvoyConformanceTest.Config.EXACT_LEGACY,
            RealEnvoyConformanceTest.Proxy.TRANSPARENT);
    assertThat(resources.clusters())
        .anyMatch(c -> c.getType() == Cluster.DiscoveryType.ORIGINAL_DST);
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThat(envoy.load(resources).accepted()).isTrue();

    assertThat(envoy.probeClusters())
        .extracting(Cluster::getName)
        .containsExactlyInAnyOrderElementsOf(
            resources.clusters().stream().map(Cluster::getName).toList());
    JsonNode dump = JSON.readTree(envoy.admin("/config_dump?resource=dynamic_active_clusters"));
    List<String> seen = new ArrayList<>();
    for (JsonNode config : dump.path("configs")) {
      JsonNode cluster = config.path("cluster");
      seen.add(cluster.path("name").asText());
      assertThat(cluster.path("type").asText()).as(cluster.toString()).isEqualTo("STATIC");
      for (JsonNode locality : cluster.path("load_assignment").path("endpoints")) {
        for (JsonNode endpoint : locality.path("lb_endpoints")) {
          assertThat(
                  endpoint
                      .path("endpoint")
                      .path("address")
                      .path("socket_address")
                      .path("address")
                      .asText())
              .isEqualTo("127.0.0.1");
        }
      }
    }
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(
            resources.clusters().stream().map(Cluster::getName).toList());
  }

  @Test
  void theProbe_refusesEveryClusterThatCouldLeaveLoopback() {
    Cluster originalDst =
        Cluster.newBuilder().setName("o").setType(Cluster.DiscoveryType.ORIGINAL_DST).build();
    Cluster dns =
        Cluster.newBuilder()
            .setName("d")
            .setType(Cluster.DiscoveryType.STRICT_DNS)
            .setLoadAssignment(endpoint("example.com"))
            .build();
    Cluster remote =
        Cluster.newBuilder()
            .setName("r")
            .setType(Cluster.DiscoveryType.STATIC)
            .setLoadAssignment(endpoint("10.0.0.1"))
            .build();
    Cluster checked =
        Cluster.newBuilder()
            .setName("h")
            .setType(Cluster.DiscoveryType.STATIC)
            .setLoadAssignment(endpoint("127.0.0.1"))
            .addHealthChecks(io.envoyproxy.envoy.config.core.v3.HealthCheck.getDefaultInstance())
            .build();
    Cluster loopback =
        Cluster.newBuilder()
            .setName("l")
            .setType(Cluster.DiscoveryType.STATIC)
            .setLoadAssignment(endpoint("127.0.0.1"))
            .build();

    for (Cluster unsafe : List.of(originalDst, dns, remote, checked)) {
      assertThatThrownBy(() -> ProbeRewriter.requireLoopbackOnly(List.of(loopback, unsafe)))
          .isInstanceOf(RealEnvoyException.class)
          .hasMessageContaining("refuses cluster " + unsafe.getName());
    }
    ProbeRewriter.requireLoopbackOnly(List.of(loopback));
  }

  @Test
  void anHttpConnectionManagerWithRds_isRefused_notLoaded() {
    EnvoyCase rds =
        EnvoyCase.all("harness").stream()
            .filter(c -> c.name().equals("rds"))
            .findFirst()
            .orElseThrow();
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThatThrownBy(() -> envoy.load(rds.listeners(), rds.clusters()))
        .isInstanceOf(RealEnvoyException.class)
        .hasMessageContaining("RDS");
  }

  @Test
  void aRejectedLoad_carriesEnvoysOwnText_andDecidingAfterItIsRefused() {
    EnvoyCase sameMatch =
        EnvoyCase.all("reject").stream()
            .filter(c -> c.name().startsWith("01-"))
            .findFirst()
            .orElseThrow();
    RealEnvoy envoy = SharedRealEnvoy.get();
    LoadResult result = envoy.load(sameMatch.listeners(), sameMatch.clusters());

    assertThat(result.accepted()).isFalse();
    assertThat(result.rejections())
        .anyMatch(r -> r.contains("has the same matching rules defined as"));
    assertThatThrownBy(() -> envoy.decide(Connection.tls("api.example.com", 443)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aServerFirstClientBehindAnInspector_passesAfterTheTimeout_andTheDecisionSaysItWaited() {
    EnvoyCase listener =
        EnvoyCase.all("harness").stream()
            .filter(c -> c.name().equals("server-first-behind-inspector"))
            .findFirst()
            .orElseThrow();
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThat(envoy.load(listener.listeners(), listener.clusters()).accepted()).isTrue();

    Decision serverFirst = envoy.decide(Connection.mysql("203.0.113.5", 25));
    Decision clientFirst = envoy.decide(Connection.tcp("203.0.113.5", 25));

    assertThat(serverFirst.isAllowed()).as("%s", serverFirst).isTrue();
    assertThat(serverFirst.waitedForListenerFiltersTimeout()).as("%s", serverFirst).isTrue();
    assertThat(clientFirst.isAllowed()).isTrue();
    assertThat(clientFirst.waitedForListenerFiltersTimeout()).isFalse();
    EnvoySimulator simulator = EnvoySimulator.of(listener.listeners(), listener.clusters());
    assertThat(
            DecisionComparison.difference(
                serverFirst, simulator.simulate(Connection.mysql("203.0.113.5", 25))))
        .isEmpty();
  }

  @Test
  void theProbe_shortensOnlyTimeoutsLongerThanItsOwn() {
    EnvoyCase listener =
        EnvoyCase.all("harness").stream()
            .filter(c -> c.name().equals("server-first-behind-inspector"))
            .findFirst()
            .orElseThrow();
    RealEnvoy envoy = SharedRealEnvoy.get();
    envoy.load(listener.listeners(), listener.clusters());
    Duration probe = envoy.probeListeners().get(0).getListenerFiltersTimeout();
    assertThat(probe.getSeconds() * 1000 + probe.getNanos() / 1_000_000)
        .isEqualTo(RealEnvoy.DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT.toMillis());
    assertThat(envoy.probeListeners().get(0).getListenerFilters(0).getName())
        .isEqualTo("envoy.filters.listener.proxy_protocol");
    assertThat(envoy.probeListeners().get(0).getListenerFiltersList())
        .noneMatch(f -> f.getName().contains("original_dst"));
  }

  @Test
  void aClientAddressUsedAgain_acrossLoadsAndAtOnce_readsOnlyItsOwnLogEntries() throws IOException {
    RealEnvoy envoy = SharedRealEnvoy.get();
    Connection allowed = Connection.tls("api.example.com", 443).from("198.51.100.7", 40000);
    Connection denied = Connection.tls("unlisted.test", 443).from("198.51.100.7", 40000);
    for (RealEnvoyConformanceTest.Config config :
        List.of(
            RealEnvoyConformanceTest.Config.EXACT_LEGACY,
            RealEnvoyConformanceTest.Config.EXACT_MATCHER)) {
      assertThat(
              envoy
                  .load(
                      RealEnvoyConformanceTest.translate(
                          "basic", config, RealEnvoyConformanceTest.Proxy.TRANSPARENT))
                  .accepted())
          .isTrue();
      List<Decision> decisions = envoy.decideAll(List.of(allowed, denied, allowed, denied));
      assertThat(decisions)
          .extracting(Decision::isAllowed)
          .containsExactly(true, false, true, false);
    }
  }

  @Test
  void multicastAndBroadcastDestinations_areRefusedWithAReason() {
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThatThrownBy(() -> envoy.decide(Connection.tcp("224.0.0.1", 80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multicast");
  }

  @Test
  void close_stopsTheProcess_andLeavesNoneBehind() {
    RealEnvoy envoy = RealEnvoy.start(SharedRealEnvoy.get().binary());
    long pid = envoy.pid();
    assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    envoy.close();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  private static ClusterLoadAssignment endpoint(String address) {
    return ClusterLoadAssignment.newBuilder()
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(
                    LbEndpoint.newBuilder()
                        .setEndpoint(
                            Endpoint.newBuilder()
                                .setAddress(
                                    Address.newBuilder()
                                        .setSocketAddress(
                                            SocketAddress.newBuilder()
                                                .setAddress(address)
                                                .setPortValue(443))))))
        .build();
  }
}
