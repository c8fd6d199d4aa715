package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The proxy context used when none is given: Kuma's dual-stack transparent proxy, untouched. */
public final class DefaultTransparentProxy {
  /** The port Kuma redirects outbound traffic to. */
  static final int OUTBOUND_PORT = 15001;

  /** The port Kuma redirects inbound traffic to. */
  static final int INBOUND_PORT = 15006;

  private DefaultTransparentProxy() {}

  /** See {@link ProxyContext#defaultTransparentProxy()}. */
  public static ProxyContext context() {
    List<ProxyContext.ExistingListener> listeners = new ArrayList<>();
    List<ProxyContext.ExistingCluster> clusters = new ArrayList<>();
    for (IpFamily family : IpFamily.values()) {
      String name = Naming.passthroughNames(family).get(0);
      listeners.add(
          new ProxyContext.ExistingListener(
              ProxyContext.ORIGIN_TRANSPARENT, listener(family, name)));
      clusters.add(
          new ProxyContext.ExistingCluster(
              ProxyContext.ORIGIN_TRANSPARENT,
              Cluster.newBuilder()
                  .setName(name)
                  .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                  .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                  .setConnectTimeout(ClusterFactory.CONNECT_TIMEOUT)
                  .build()));
    }
    return new ProxyContext(
        "127.0.0.1",
        Optional.of(
            new ProxyContext.TransparentProxy(
                OUTBOUND_PORT, INBOUND_PORT, ProxyContext.IpFamilyMode.DUALSTACK)),
        true,
        new TreeSet<>(),
        List.of(),
        listeners,
        clusters);
  }

  private static Listener listener(IpFamily family, String name) {
    TcpProxy catchAll =
        TcpProxy.newBuilder()
            .setStatPrefix(Naming.passthroughStatPrefix(family))
            .setCluster(name)
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder()
                        .setAddress(family == IpFamily.IPV4 ? "0.0.0.0" : "::")
                        .setPortValue(OUTBOUND_PORT)))
        .setUseOriginalDst(BoolValue.of(true))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName(EnvoyNames.TCP_PROXY)
                        .setTypedConfig(Any.pack(catchAll))))
        .build();
  }
}
