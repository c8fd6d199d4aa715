package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The clusters a listener's {@code tcp_proxy} filters send traffic to. */
final class TcpProxyClusters {
  private TcpProxyClusters() {}

  /** Every cluster named by a tcp_proxy of {@code listener}'s chains and default chain, in order. */
  static Set<String> of(Listener listener) {
    List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
    if (listener.hasDefaultFilterChain()) {
      chains.add(listener.getDefaultFilterChain());
    }
    Set<String> clusters = new LinkedHashSet<>();
    for (FilterChain chain : chains) {
      for (Filter filter : chain.getFiltersList()) {
        if (filter.hasTypedConfig() && filter.getTypedConfig().is(TcpProxy.class)) {
          TcpProxy tcpProxy = unpack(filter.getTypedConfig());
          if (!tcpProxy.getCluster().isEmpty()) {
            clusters.add(tcpProxy.getCluster());
          }
          tcpProxy.getWeightedClusters().getClustersList().forEach(c -> clusters.add(c.getName()));
        }
      }
    }
    return clusters;
  }

  private static TcpProxy unpack(Any any) {
    try {
      return any.unpack(TcpProxy.class);
    } catch (InvalidProtocolBufferException e) {
      return TcpProxy.getDefaultInstance(); // a broken config names no cluster we could report on
    }
  }
}
