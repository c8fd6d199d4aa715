package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.InternalAddressConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the HTTP connection manager chains of {@code http}, {@code http2} and {@code grpc}
 * matchers, as Kuma does.
 *
 * <ul>
 *   <li>An IP or CIDR chain has one virtual host named after the value, {@code domains: ['*']},
 *       routing everything to the chain's cluster.
 *   <li>An aggregated domain chain has one virtual host per domain, with domains {@code [d,
 *       d:port]}; without a port {@code [d, d:*]} for an exact domain and {@code [*.x]} for a
 *       wildcard. A last virtual host answers every other Host, as {@link Unmatched} decides
 *       (Kuma's {@code no_match} with 503).
 * </ul>
 *
 * <p>The route configuration is inline and named after the chain; the only HTTP filter is the
 * router. Immutable and thread-safe.
 */
final class HttpChainFactory {
  private final Naming naming;
  private final InternalAddressConfig internalAddressConfig;
  private final Unmatched unmatched;
  private final ClusterPinning pinning;

  HttpChainFactory(
      Naming naming,
      List<CidrRange> internalAddresses,
      Unmatched unmatched,
      ClusterPinning pinning) {
    this.naming = naming;
    this.pinning = pinning;
    this.unmatched = unmatched;
    this.internalAddressConfig =
        InternalAddressConfig.newBuilder().addAllCidrRanges(internalAddresses).build();
  }

  /** The chain of {@code matcher}, whose match is already built. */
  BuiltChain build(FilterChainMatcher matcher, FilterChainMatch match) {
    String name;
    List<VirtualHost> virtualHosts = new ArrayList<>();
    SortedMap<String, ClusterSpec> clusters = new TreeMap<>();
    if (matcher.isAggregated()) {
      name = naming.aggregatedChainName(matcher.protocol(), matcher.port());
      for (VirtualHostRoute route : matcher.routes()) {
        String cluster = naming.clusterName(matcher.protocol(), route.value(), matcher.port());
        clusters.put(
            cluster,
            pinning.cluster(
                cluster, matcher.protocol(), route.matchType(), route.value(), matcher.port()));
        virtualHosts.add(
            VirtualHost.newBuilder()
                .setName(route.value())
                .addAllDomains(domains(route, matcher.port()))
                .addRoutes(routeTo(cluster))
                .build());
      }
      virtualHosts.add(
          unmatched.lastVirtualHost(
              naming,
              () -> {
                throw new IllegalStateException("the kuma profile enforces only");
              }));
    } else {
      name = naming.chainName(matcher.protocol(), matcher.value(), matcher.port());
      String cluster = name; // Naming.clusterName: the name of the destination's own chain
      clusters.put(
          cluster,
          pinning.cluster(
              cluster, matcher.protocol(), matcher.matchType(), matcher.value(), matcher.port()));
      virtualHosts.add(
          VirtualHost.newBuilder()
              .setName(matcher.value())
              .addDomains("*")
              .addRoutes(routeTo(cluster))
              .build());
    }
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(Naming.statName(name))
            .setRouteConfig(
                RouteConfiguration.newBuilder().setName(name).addAllVirtualHosts(virtualHosts))
            .addHttpFilters(EnvoyNames.ROUTER_FILTER)
            .setInternalAddressConfig(internalAddressConfig)
            .build();
    FilterChain chain =
        FilterChain.newBuilder()
            .setName(name)
            .setFilterChainMatch(match)
            .addFilters(
                Filter.newBuilder()
                    .setName(EnvoyNames.HTTP_CONNECTION_MANAGER)
                    .setTypedConfig(EnvoyNames.pack(manager)))
            .build();
    return new BuiltChain(chain, matcher, List.copyOf(clusters.values()));
  }

  /** The Host values of a domain: with the port too, since a Host header may carry it. */
  private static List<String> domains(VirtualHostRoute route, int port) {
    if (port != 0) {
      return List.of(route.value(), route.value() + ":" + port);
    }
    return route.matchType() == ChainMatchType.DOMAIN
        ? List.of(route.value(), route.value() + ":*")
        : List.of(route.value());
  }

  private static Route routeTo(String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster))
        .build();
  }
}
