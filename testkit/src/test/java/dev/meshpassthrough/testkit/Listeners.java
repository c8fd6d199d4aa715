package dev.meshpassthrough.testkit;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
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
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/**
 * Hand-built Envoy resources for simulator tests, in the notation of the semantics' worked
 * examples: {@code FC{port, ip, sni, transport, alpn}}.
 */
final class Listeners {
  static final String V4 = "outbound_ipv4";

  private Listeners() {}

  /**
   * An outbound passthrough listener on 0.0.0.0:15001 with original_dst, tls_inspector,
   * http_inspector and these chains.
   */
  static Listener outbound(FilterChain... chains) {
    return Listener.newBuilder()
        .setName(V4)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
        .setUseOriginalDst(BoolValue.of(true))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addListenerFilters(
            filter(
                "envoy.filters.listener.original_dst", Any.pack(OriginalDst.getDefaultInstance())))
        .addListenerFilters(
            filter(
                "envoy.filters.listener.tls_inspector",
                Any.pack(TlsInspector.getDefaultInstance())))
        .addListenerFilters(
            filter(
                "envoy.filters.listener.http_inspector",
                Any.pack(HttpInspector.getDefaultInstance())))
        .addAllFilterChains(List.of(chains))
        .build();
  }

  static ListenerFilter filter(String name, Any config) {
    return ListenerFilter.newBuilder().setName(name).setTypedConfig(config).build();
  }

  /**
   * {@code FC{port, ip, sni, transport, alpn}} with a tcp_proxy to the cluster of the chain's name.
   *
   * @param port 0 for unset
   * @param prefix {@code a.b.c.d/n} or null for unset
   * @param sni a server name or null
   * @param transport a transport protocol or null
   * @param alpn application protocols, empty for unset
   */
  static FilterChain chain(
      String name, int port, String prefix, String sni, String transport, String... alpn) {
    FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
    if (port != 0) {
      match.setDestinationPort(UInt32Value.of(port));
    }
    if (prefix != null) {
      String[] parts = prefix.split("/");
      match.addPrefixRanges(
          CidrRange.newBuilder()
              .setAddressPrefix(parts[0])
              .setPrefixLen(UInt32Value.of(Integer.parseInt(parts[1]))));
    }
    if (sni != null) {
      match.addServerNames(sni);
    }
    if (transport != null) {
      match.setTransportProtocol(transport);
    }
    match.addAllApplicationProtocols(List.of(alpn));
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(match)
        .addFilters(tcpProxy(name))
        .build();
  }

  static Filter tcpProxy(String cluster) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.tcp_proxy")
        .setTypedConfig(
            Any.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster(cluster).build()))
        .build();
  }

  /** An ORIGINAL_DST cluster for each name. */
  static List<Cluster> originalDst(String... names) {
    return List.of(names).stream()
        .map(
            n ->
                Cluster.newBuilder()
                    .setName(n)
                    .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                    .build())
        .toList();
  }
}
