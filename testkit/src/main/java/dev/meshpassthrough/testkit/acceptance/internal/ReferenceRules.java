package dev.meshpassthrough.testkit.acceptance.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the network filters of a listener refer to: tcp_proxy and route clusters that must exist,
 * HTTP connection managers whose routes Envoy would refuse
 * (docs/envoy-behaviour.md#tcp_proxy-and-clusters) or whose HTTP filters do not end in the router
 * (and only there: Envoy rejects both; an empty list it accepts, a trap), and clusters Envoy
 * refuses (docs/envoy-behaviour.md#what-envoy-rejects).
 */
final class ReferenceRules {
  private static final int MAX_DIRECT_RESPONSE_BODY = 4096;
  private static final String ROUTER = "envoy.filters.http.router";
  private static final String ROUTER_TYPE =
      "type.googleapis.com/" + Router.getDescriptor().getFullName();
  private static final Set<String> PROTOCOL_OPTION_KEYS =
      Set.of("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");

  private ReferenceRules() {}

  static void checkListener(Listener listener, Set<String> clusters, ProblemSink sink) {
    List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
    for (int i = 0; i < chains.size(); i++) {
      List<Filter> filters = chains.get(i).getFiltersList();
      for (int f = 0; f < filters.size(); f++) {
        String path = "filterChains[" + i + "].filters[" + f + "].typedConfig";
        Any config = filters.get(f).getTypedConfig();
        try {
          if (config.is(TcpProxy.class)) {
            checkTcpProxy(config.unpack(TcpProxy.class), path, clusters, sink);
          } else if (config.is(HttpConnectionManager.class)) {
            HttpConnectionManager manager = config.unpack(HttpConnectionManager.class);
            if (manager.getCodecType() == HttpConnectionManager.CodecType.HTTP3
                && !listener.getUdpListenerConfig().hasQuicOptions()) {
              sink.add(
                  path + ".codecType",
                  "listener.http3-codec",
                  "HTTP/3 codec configured on non-QUIC listener.");
            }
            checkHttp(manager, path, clusters, sink);
          }
        } catch (InvalidProtocolBufferException e) {
          sink.add(path, "any.unparsable", "the filter config does not parse");
        }
      }
    }
  }

  private static void checkTcpProxy(
      TcpProxy proxy, String path, Set<String> clusters, ProblemSink sink) {
    List<String> names =
        proxy.hasWeightedClusters()
            ? proxy.getWeightedClusters().getClustersList().stream()
                .map(TcpProxy.WeightedCluster.ClusterWeight::getName)
                .toList()
            : List.of(proxy.getCluster());
    for (String name : names) {
      if (!name.isEmpty() && !clusters.contains(name)) {
        sink.add(
            path + ".cluster",
            "trap.missing-cluster",
            "tcp_proxy names cluster '" + name + "', which does not exist: connections close");
      }
    }
  }

  private static void checkHttp(
      HttpConnectionManager manager, String path, Set<String> clusters, ProblemSink sink) {
    if (manager.getStripAnyHostPort() && manager.getStripMatchingHostPort()) {
      sink.add(
          path,
          "route.strip-port",
          "set at most one of strip_any_host_port and strip_matching_host_port");
    }
    int filters = manager.getHttpFiltersCount();
    if (filters == 0) {
      sink.add(
          path + ".httpFilters",
          "trap.no-router",
          "the HTTP filters must end with envoy.filters.http.router, or nothing is forwarded");
    }
    for (int i = 0; i < filters; i++) {
      HttpFilter filter = manager.getHttpFilters(i);
      String filterPath = path + ".httpFilters[" + i + "]";
      FilterTypeRules.check(
          filter.getName(), filter.getTypedConfig(), FilterTypeRules.Kind.HTTP, filterPath, sink);
      // The router is the only terminal HTTP filter of a downstream chain; Envoy wants exactly it
      // last.
      boolean router =
          filter.getName().equals(ROUTER)
              || filter.getTypedConfig().getTypeUrl().equals(ROUTER_TYPE);
      boolean last = i == filters - 1;
      if (router && !last) {
        sink.add(
            filterPath,
            "listener.http-filter.terminal-last",
            "terminal filter named "
                + filter.getName()
                + " must be the last filter in a http filter chain");
      } else if (!router && last) {
        sink.add(
            filterPath,
            "listener.http-filter.terminal-last",
            "non-terminal filter named "
                + filter.getName()
                + " is the last filter in a http filter chain");
      }
    }
    if (!manager.hasRouteConfig()) {
      return;
    }
    RouteConfiguration routes = manager.getRouteConfig();
    Map<String, String> domainOwners = new HashMap<>();
    int wildcards = 0;
    for (int v = 0; v < routes.getVirtualHostsCount(); v++) {
      VirtualHost host = routes.getVirtualHosts(v);
      String hostPath = path + ".routeConfig.virtualHosts[" + v + "]";
      for (String domain : host.getDomainsList()) {
        String key = domain.toLowerCase(Locale.ROOT);
        wildcards += key.equals("*") ? 1 : 0;
        String owner = domainOwners.putIfAbsent(key, host.getName());
        if (owner != null) {
          sink.add(
              hostPath + ".domains",
              "route.domain-unique",
              "Only unique values for domains are permitted. Duplicate entry of domain "
                  + key
                  + " in route "
                  + routes.getName());
        }
        if (key.length() > 1 && key.startsWith("*") && key.endsWith(":*")) {
          sink.add(
              hostPath + ".domains",
              "trap.useless-domain",
              "domain " + domain + " is a suffix wildcard ending in ':*': it never matches");
        }
      }
      for (int r = 0; r < host.getRoutesCount(); r++) {
        Route route = host.getRoutes(r);
        String routePath = hostPath + ".routes[" + r + "]";
        if (route.hasRoute()
            && !route.getRoute().getCluster().isEmpty()
            && !clusters.contains(route.getRoute().getCluster())) {
          sink.add(
              routePath + ".route.cluster",
              "route.unknown-cluster",
              "route: unknown cluster '" + route.getRoute().getCluster() + "'");
        }
        if (route.hasDirectResponse()
            && route
                    .getDirectResponse()
                    .getBody()
                    .getInlineString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    .length
                > MAX_DIRECT_RESPONSE_BODY) {
          sink.add(
              routePath + ".directResponse.body",
              "route.body-size",
              "response body size exceeds the maximum of 4096 bytes");
        }
      }
    }
    if (wildcards > 1) {
      sink.add(
          path + ".routeConfig",
          "route.single-wildcard",
          "Only a single wildcard domain is permitted in route " + routes.getName());
    }
  }

  static void checkCluster(Cluster cluster, ProblemSink sink) {
    if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      if (cluster.getLbPolicy() != Cluster.LbPolicy.CLUSTER_PROVIDED) {
        sink.add(
            "lbPolicy",
            "cluster.original-dst-lb",
            "cluster: LB policy "
                + cluster.getLbPolicy()
                + " is not valid for Cluster type ORIGINAL_DST. Only 'CLUSTER_PROVIDED' is allowed");
      }
      if (cluster.hasLoadAssignment()) {
        sink.add(
            "loadAssignment",
            "cluster.original-dst-endpoints",
            "an ORIGINAL_DST cluster must not have a load assignment");
      }
    }
    for (String key : cluster.getTypedExtensionProtocolOptionsMap().keySet()) {
      if (!PROTOCOL_OPTION_KEYS.contains(key)) {
        sink.add(
            "typedExtensionProtocolOptions[" + key + "]",
            "cluster.protocol-options",
            "Didn't find a registered network or http filter "
                + "or protocol options implementation for name: '"
                + key
                + "'");
      }
    }
  }
}
