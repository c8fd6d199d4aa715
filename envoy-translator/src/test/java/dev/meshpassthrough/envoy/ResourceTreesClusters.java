package dev.meshpassthrough.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.Set;
import java.util.TreeSet;

/** The clusters a listener's chains send traffic to, through tcp_proxy or HCM routes. */
final class ResourceTreesClusters {
  private ResourceTreesClusters() {}

  static Set<String> referencedBy(Listener listener) {
    Set<String> clusters = new TreeSet<>();
    for (FilterChain chain : listener.getFilterChainsList()) {
      for (Filter filter : chain.getFiltersList()) {
        try {
          if (filter.getTypedConfig().is(TcpProxy.class)) {
            clusters.add(filter.getTypedConfig().unpack(TcpProxy.class).getCluster());
          } else if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            for (VirtualHost host :
                filter
                    .getTypedConfig()
                    .unpack(HttpConnectionManager.class)
                    .getRouteConfig()
                    .getVirtualHostsList()) {
              for (Route route : host.getRoutesList()) {
                if (route.hasRoute()) {
                  clusters.add(route.getRoute().getCluster());
                }
              }
            }
          }
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return clusters;
  }
}
