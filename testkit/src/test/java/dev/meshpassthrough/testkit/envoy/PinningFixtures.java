package dev.meshpassthrough.testkit.envoy;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.CustomClusterType;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheCircuitBreakers;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * Hand-written pieces of pinned configurations, shaped as the exact profile writes them (a {@code
 * STRICT_DNS} cluster per pinned entry, the dynamic forward proxy for TLS and HTTP), for the
 * pinning probe's own tests.
 */
final class PinningFixtures {
  static final String CACHE = "meshpassthrough_dfp";

  private PinningFixtures() {}

  static DnsCacheConfig cache() {
    return cache(Cluster.DnsLookupFamily.V4_ONLY);
  }

  static DnsCacheConfig cache(Cluster.DnsLookupFamily family) {
    return DnsCacheConfig.newBuilder()
        .setName(CACHE)
        .setDnsLookupFamily(family)
        .setMaxHosts(UInt32Value.of(1024))
        .setDnsCacheCircuitBreaker(
            DnsCacheCircuitBreakers.newBuilder().setMaxPendingRequests(UInt32Value.of(1024)))
        .build();
  }

  static Cluster strictDns(String name, String host, int port) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
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
                                                        .setAddress(host)
                                                        .setPortValue(port)))))))
        .build();
  }

  static Cluster originalDst(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .build();
  }

  static Cluster dfp(String name) {
    return dfp(name, cache());
  }

  static Cluster dfp(String name, DnsCacheConfig cache) {
    return Cluster.newBuilder()
        .setName(name)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .setClusterType(
            CustomClusterType.newBuilder()
                .setName("envoy.clusters.dynamic_forward_proxy")
                .setTypedConfig(
                    Any.pack(ClusterConfig.newBuilder().setDnsCacheConfig(cache).build())))
        .build();
  }

  static Filter tcpProxy(String cluster) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.tcp_proxy")
        .setTypedConfig(
            Any.pack(TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build()))
        .build();
  }

  private static SubstitutionFormatString format(String text) {
    return SubstitutionFormatString.newBuilder()
        .setTextFormatSource(DataSource.newBuilder().setInlineString(text))
        .build();
  }

  /**
   * A TLS chain for {@code serverName} through the SNI dynamic forward proxy to {@code dfp_tls}.
   */
  static FilterChain sniDfpChain(String name, String serverName) {
    return sniDfpChain(name, serverName, cache());
  }

  static FilterChain sniDfpChain(String name, String serverName, DnsCacheConfig cache) {
    var setPort =
        io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.newBuilder()
            .addOnNewConnection(
                FilterStateValue.newBuilder()
                    .setObjectKey("envoy.upstream.dynamic_port")
                    .setFormatString(format("%DOWNSTREAM_LOCAL_PORT%")))
            .build();
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(
            FilterChainMatch.newBuilder().setTransportProtocol("tls").addServerNames(serverName))
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.set_filter_state")
                .setTypedConfig(Any.pack(setPort)))
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.sni_dynamic_forward_proxy")
                .setTypedConfig(
                    Any.pack(FilterConfig.newBuilder().setDnsCacheConfig(cache).build())))
        .addFilters(tcpProxy("dfp_tls"))
        .build();
  }

  /** An HTTP chain whose only virtual host ({@code domain}) goes to {@code dfp_http}. */
  static FilterChain httpDfpChain(String name, String domain) throws Exception {
    var setState =
        io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.newBuilder()
            .addOnRequestHeaders(
                FilterStateValue.newBuilder()
                    .setObjectKey("envoy.upstream.dynamic_host")
                    .setFormatString(format("%REQ(:AUTHORITY)%")))
            .addOnRequestHeaders(
                FilterStateValue.newBuilder()
                    .setObjectKey("envoy.upstream.dynamic_port")
                    .setFormatString(format("%DOWNSTREAM_LOCAL_PORT%")))
            .build();
    Struct.Builder cache = Struct.newBuilder();
    JsonFormat.parser()
        .merge(JsonFormat.printer().preservingProtoFieldNames().print(cache()), cache);
    TypedStruct dfp =
        TypedStruct.newBuilder()
            .setTypeUrl(
                "type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig")
            .setValue(
                Struct.newBuilder()
                    .putFields(
                        "allow_dynamic_host_from_filter_state",
                        Value.newBuilder().setBoolValue(true).build())
                    .putFields(
                        "dns_cache_config", Value.newBuilder().setStructValue(cache).build()))
            .build();
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(name)
            .setStripAnyHostPort(true)
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName(domain)
                            .addDomains(domain)
                            .addRoutes(
                                Route.newBuilder()
                                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                    .setRoute(RouteAction.newBuilder().setCluster("dfp_http")))))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.set_filter_state")
                    .setTypedConfig(Any.pack(setState)))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.dynamic_forward_proxy")
                    .setTypedConfig(Any.pack(dfp)))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(
            FilterChainMatch.newBuilder()
                .setTransportProtocol("raw_buffer")
                .addApplicationProtocols("http/1.1"))
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm)))
        .build();
  }
}
