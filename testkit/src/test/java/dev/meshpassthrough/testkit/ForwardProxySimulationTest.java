package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.tls;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
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
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's model of dynamic forward proxies and of the clusters' upstreams, on hand-built
 * resources: what it computes, and where it says it cannot tell.
 */
class ForwardProxySimulationTest {
  private static final DnsCacheConfig CACHE = DnsCacheConfig.newBuilder().setName("c").build();
  private static final String DFP = "dfp";

  @Test
  void sniProxy_withoutFilterState_usesTheSniAndItsPortValue() {
    Decision decision =
        simulate(tlsChain(sniProxy(443)), tls("api.example.com", 8443).dialing("192.0.2.7"));

    assertThat(decision.outcome()).isEqualTo(Outcome.FORWARDED);
    assertThat(decision.upstream()).contains(Upstream.dnsName("api.example.com", 443));
  }

  @Test
  void sniProxy_withTheDialedPortInFilterState_usesThatPort() {
    Decision decision =
        simulate(
            tlsChain(networkState(ForwardPort.DIALED), sniProxy(443)),
            tls("api.example.com", 8443).dialing("192.0.2.7"));

    assertThat(decision.upstream()).contains(Upstream.dnsName("api.example.com", 8443));
  }

  @Test
  void sniProxy_withoutSni_hasNoHost_andClosesTheConnection() {
    Decision decision = simulate(tlsChain(sniProxy(443)), tls("192.0.2.7", 443).withoutSni());

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_UPSTREAM_HOST);
    assertThat(decision.isAllowed()).isFalse();
    assertThat(decision.upstream()).isEmpty();
  }

  @Test
  void aFormatTheSimulatorDoesNotModel_leavesTheUpstreamUnknown_andSaysSo() {
    Filter state =
        Filter.newBuilder()
            .setName("envoy.filters.network.set_filter_state")
            .setTypedConfig(
                Any.pack(
                    io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config
                        .newBuilder()
                        .addOnNewConnection(
                            value("envoy.upstream.dynamic_host", "%FILTER_STATE(x)%"))
                        .build()))
            .build();

    Decision decision =
        simulate(tlsChain(state, sniProxy(443)), tls("api.example.com", 443).dialing("192.0.2.7"));

    assertThat(decision.isAllowed()).isTrue();
    assertThat(decision.upstream()).isEmpty();
    assertThat(decision.traceText()).contains("%FILTER_STATE(x)%").contains("not simulated");
  }

  @Test
  void aForwardProxyClusterWithoutItsFilter_isForwardedToAnUnknownUpstream() {
    Decision decision = simulate(tlsChain(), tls("api.example.com", 443).dialing("192.0.2.7"));

    assertThat(decision.isAllowed()).isTrue();
    assertThat(decision.upstream()).isEmpty();
    assertThat(decision.traceText()).contains("no envoy.filters.network.sni_dynamic_forward_proxy");
  }

  @Test
  void httpProxy_inATypedStruct_takesHostAndPortFromFilterState() {
    Decision decision =
        simulate(
            httpChain(true, httpState(), httpProxy(true)),
            http("web.example.com", 8080).dialing("192.0.2.7").withHost("web.example.com:9999"));

    assertThat(decision.upstream()).contains(Upstream.dnsName("web.example.com", 8080));
  }

  @Test
  void aHostWithAPortInFilterState_leavesTheUpstreamUnknown() {
    // This HCM does not strip the Host's port, so %REQ(:AUTHORITY)% carries one.
    Decision decision =
        simulate(
            httpChain(false, httpState(), httpProxy(true)),
            http("web.example.com", 8080).dialing("192.0.2.7").withHost("web.example.com:9999"));

    assertThat(decision.isAllowed()).isTrue();
    assertThat(decision.upstream()).isEmpty();
    assertThat(decision.traceText()).contains("carries a port");
  }

  @Test
  void httpProxy_withoutFilterStateLookup_takesTheHostHeader_andItsPort() {
    Decision decision =
        simulate(
            httpChain(false, httpState(), httpProxy(false)),
            http("web.example.com", 8080).dialing("192.0.2.7").withHost("web.example.com:9999"));

    // The HCM here does not strip the port: the Host's 9999 is what Envoy connects to.
    assertThat(decision.upstream()).contains(Upstream.dnsName("web.example.com", 9999));
  }

  @Test
  void anIpLiteralHost_isReportedAsSuch_neverAsADnsName() {
    Decision decision =
        simulate(httpChain(true, httpState(), httpProxy(true)), http("192.0.2.7", 80));

    assertThat(decision.upstream()).contains(new Upstream(Upstream.Kind.ENDPOINT, "192.0.2.7", 80));
    assertThat(decision.traceText()).contains("is an IP literal");
  }

  @Test
  void strictDnsAndStaticClusters_goToTheirFirstEndpoint() {
    FilterChain chain =
        FilterChain.newBuilder().setName("c").addFilters(Listeners.tcpProxy("named")).build();
    for (Cluster.DiscoveryType type :
        List.of(Cluster.DiscoveryType.STRICT_DNS, Cluster.DiscoveryType.STATIC)) {
      String host = type == Cluster.DiscoveryType.STATIC ? "198.51.100.1" : "api.example.com";
      Cluster cluster =
          Cluster.newBuilder()
              .setName("named")
              .setType(type)
              .setLoadAssignment(
                  ClusterLoadAssignment.newBuilder()
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
                                                              .setPortValue(443)))))))
              .build();

      Decision decision =
          EnvoySimulator.of(List.of(Listeners.outbound(chain)), List.of(cluster))
              .simulate(tls("api.example.com", 443).dialing("192.0.2.7"));

      assertThat(decision.upstream())
          .contains(
              type == Cluster.DiscoveryType.STATIC
                  ? new Upstream(Upstream.Kind.ENDPOINT, host, 443)
                  : Upstream.dnsName(host, 443));
    }
  }

  private static Decision simulate(FilterChain chain, Connection connection) {
    return EnvoySimulator.of(List.of(Listeners.outbound(chain)), List.of(dfpCluster()))
        .simulate(connection);
  }

  private static FilterChain tlsChain(Filter... filters) {
    List<Filter> all = new ArrayList<>(List.of(filters));
    all.add(Listeners.tcpProxy(DFP));
    return FilterChain.newBuilder().setName("tls").addAllFilters(all).build();
  }

  /** An HCM routing everything to the forward proxy; {@code strip} sets strip_any_host_port. */
  private static FilterChain httpChain(boolean strip, HttpFilter... filters) {
    HttpConnectionManager.Builder manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("h")
            .setStripAnyHostPort(strip)
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName("all")
                            .addDomains("*")
                            .addRoutes(
                                Route.newBuilder()
                                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                    .setRoute(RouteAction.newBuilder().setCluster(DFP)))));
    for (HttpFilter filter : filters) {
      manager.addHttpFilters(filter);
    }
    manager.addHttpFilters(
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return FilterChain.newBuilder()
        .setName("http")
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(manager.build())))
        .build();
  }

  private static Filter sniProxy(int port) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.sni_dynamic_forward_proxy")
        .setTypedConfig(
            Any.pack(FilterConfig.newBuilder().setDnsCacheConfig(CACHE).setPortValue(port).build()))
        .build();
  }

  /** Where a network set_filter_state filter takes the port from. */
  private enum ForwardPort {
    DIALED
  }

  private static Filter networkState(ForwardPort port) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.set_filter_state")
        .setTypedConfig(
            Any.pack(
                io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config
                    .newBuilder()
                    .addOnNewConnection(
                        value("envoy.upstream.dynamic_port", "%DOWNSTREAM_LOCAL_PORT%"))
                    .build()))
        .build();
  }

  private static HttpFilter httpState() {
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.set_filter_state")
        .setTypedConfig(
            Any.pack(
                io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.newBuilder()
                    .addOnRequestHeaders(value("envoy.upstream.dynamic_host", "%REQ(:AUTHORITY)%"))
                    .addOnRequestHeaders(
                        value("envoy.upstream.dynamic_port", "%DOWNSTREAM_LOCAL_PORT%"))
                    .build()))
        .build();
  }

  private static HttpFilter httpProxy(boolean fromFilterState) {
    Struct value =
        Struct.newBuilder()
            .putFields(
                "allow_dynamic_host_from_filter_state",
                Value.newBuilder().setBoolValue(fromFilterState).build())
            .putFields(
                "dns_cache_config",
                Value.newBuilder()
                    .setStructValue(
                        Struct.newBuilder()
                            .putFields("name", Value.newBuilder().setStringValue("c").build()))
                    .build())
            .build();
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.dynamic_forward_proxy")
        .setTypedConfig(
            Any.pack(
                TypedStruct.newBuilder()
                    .setTypeUrl(
                        "type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig")
                    .setValue(value)
                    .build()))
        .build();
  }

  private static FilterStateValue value(String key, String format) {
    return FilterStateValue.newBuilder()
        .setObjectKey(key)
        .setFormatString(
            SubstitutionFormatString.newBuilder()
                .setTextFormatSource(DataSource.newBuilder().setInlineString(format)))
        .build();
  }

  private static Cluster dfpCluster() {
    return Cluster.newBuilder()
        .setName(DFP)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setClusterType(
            Cluster.CustomClusterType.newBuilder()
                .setName("envoy.clusters.dynamic_forward_proxy")
                .setTypedConfig(
                    Any.pack(ClusterConfig.newBuilder().setDnsCacheConfig(CACHE).build())))
        .build();
  }
}
