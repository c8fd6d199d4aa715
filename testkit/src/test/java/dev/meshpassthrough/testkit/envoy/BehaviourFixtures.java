package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.EnvoySimulator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.type.v3.Int32Range;
import java.util.List;

/**
 * Small listeners and clusters for the Envoy behaviour tests, and a judge that runs a connection
 * through the real Envoy and, where asked, checks that the simulator agrees.
 */
final class BehaviourFixtures {
  /** The ORIGINAL_DST cluster every tcp_proxy chain of these fixtures sends to. */
  static final String CLUSTER = "passthrough";

  private BehaviourFixtures() {}

  /** An outbound listener on 0.0.0.0:15001 with use_original_dst and the given listener filters. */
  static Listener.Builder outbound(ListenerFilter... filters) {
    return listener("outbound", "0.0.0.0", 15001)
        .setUseOriginalDst(com.google.protobuf.BoolValue.of(true))
        .addAllListenerFilters(List.of(filters));
  }

  static Listener.Builder listener(String name, String address, int port) {
    return Listener.newBuilder()
        .setName(name)
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress(address).setPortValue(port)));
  }

  static ListenerFilter originalDst() {
    return ListenerFilter.newBuilder()
        .setName("envoy.filters.listener.original_dst")
        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance()))
        .build();
  }

  static ListenerFilter tlsInspector() {
    return ListenerFilter.newBuilder()
        .setName("envoy.filters.listener.tls_inspector")
        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
        .build();
  }

  static ListenerFilter httpInspector() {
    return ListenerFilter.newBuilder()
        .setName("envoy.filters.listener.http_inspector")
        .setTypedConfig(Any.pack(HttpInspector.getDefaultInstance()))
        .build();
  }

  /** {@code filter} disabled for destination port {@code port} (Kuma's shape: end exclusive). */
  static ListenerFilter disabledOn(ListenerFilter filter, int port) {
    return filter.toBuilder()
        .setFilterDisabled(
            ListenerFilterChainMatchPredicate.newBuilder()
                .setDestinationPortRange(Int32Range.newBuilder().setStart(port).setEnd(port + 1)))
        .build();
  }

  static FilterChainMatch.Builder match() {
    return FilterChainMatch.newBuilder();
  }

  static FilterChainMatch.Builder port(int port) {
    return match().setDestinationPort(UInt32Value.of(port));
  }

  static CidrRange cidr(String address, int length) {
    return CidrRange.newBuilder()
        .setAddressPrefix(address)
        .setPrefixLen(UInt32Value.of(length))
        .build();
  }

  /** A chain named {@code name} with {@code match} whose tcp_proxy sends to {@link #CLUSTER}. */
  static FilterChain tcpChain(String name, FilterChainMatch.Builder match) {
    return tcpChain(name, match, CLUSTER);
  }

  static FilterChain tcpChain(String name, FilterChainMatch.Builder match, String cluster) {
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(match)
        .addFilters(tcpProxy(cluster))
        .build();
  }

  static Filter tcpProxy(String cluster) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.tcp_proxy")
        .setTypedConfig(
            Any.pack(TcpProxy.newBuilder().setStatPrefix("t").setCluster(cluster).build()))
        .build();
  }

  static Cluster originalDstCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .build();
  }

  /**
   * Loads the resources into the shared real Envoy (they must be accepted) and judges connections
   * under them.
   */
  static Judge load(List<Listener> listeners, List<Cluster> clusters) {
    LoadResult result = SharedRealEnvoy.get().load(listeners, clusters);
    assertThat(result.accepted()).as("Envoy accepts the fixture: %s", result).isTrue();
    return new Judge(EnvoySimulator.of(listeners, clusters));
  }

  /** {@link #load(List, List)} of one listener and the {@link #CLUSTER} cluster. */
  static Judge load(Listener.Builder listener) {
    return load(List.of(listener.build()), List.of(originalDstCluster(CLUSTER)));
  }

  /**
   * {@link #load(List, List)} of an inline case ({@code listeners:} and {@code clusters:} under
   * {@code resources:}).
   */
  static Judge loadYaml(String yaml) {
    EnvoyCase c = EnvoyCase.ofYaml("inline", yaml);
    return load(c.listeners(), c.clusters());
  }

  /**
   * The real Envoy's decisions under the loaded resources, each checked against the simulator's.
   */
  static final class Judge {
    private final EnvoySimulator simulator;

    private Judge(EnvoySimulator simulator) {
      this.simulator = simulator;
    }

    /** What the real Envoy does; fails when the simulator decides otherwise. */
    Decision decide(Connection connection) {
      Decision real = SharedRealEnvoy.get().decide(connection);
      Decision simulated = simulator.simulate(connection);
      assertThat(DecisionComparison.difference(real, simulated))
          .as("%s: real Envoy against the simulator\n%s", connection, simulated.traceText())
          .isEmpty();
      return real;
    }

    /**
     * What the real Envoy does, without asking the simulator (for facts the simulator does not
     * model).
     */
    Decision real(Connection connection) {
      return SharedRealEnvoy.get().decide(connection);
    }

    /** What the simulator says. */
    Decision simulated(Connection connection) {
      return simulator.simulate(connection);
    }
  }
}
