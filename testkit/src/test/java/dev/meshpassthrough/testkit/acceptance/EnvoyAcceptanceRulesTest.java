package dev.meshpassthrough.testkit.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the acceptance check, shown failing on a minimal resource and passing when fixed.
 */
class EnvoyAcceptanceRulesTest {
  private static final Cluster CLUSTER =
      Cluster.newBuilder()
          .setName("c")
          .setType(Cluster.DiscoveryType.ORIGINAL_DST)
          .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
          .build();

  private static Listener listener(FilterChain... chains) {
    return Listener.newBuilder()
        .setName("l")
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
        .addAllFilterChains(List.of(chains))
        .build();
  }

  private static FilterChain tcp(String name, FilterChainMatch match, String cluster) {
    TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix("s").setCluster(cluster).build();
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(match)
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Any.pack(proxy)))
        .build();
  }

  private static CidrRange range(String address, Integer length) {
    CidrRange.Builder range = CidrRange.newBuilder().setAddressPrefix(address);
    if (length != null) {
      range.setPrefixLen(UInt32Value.of(length));
    }
    return range.build();
  }

  private static List<String> rules(Listener listener, Cluster... clusters) {
    return EnvoyAcceptance.check(List.of(listener), List.of(clusters)).stream()
        .map(AcceptanceProblem::rule)
        .toList();
  }

  @Test
  void aValidListener_hasNoProblem() {
    FilterChainMatch match =
        FilterChainMatch.newBuilder()
            .setDestinationPort(UInt32Value.of(443))
            .setTransportProtocol("tls")
            .addServerNames("*.example.com")
            .build();
    assertThat(rules(listener(tcp("a", match, "c")), CLUSTER)).isEmpty();
  }

  @Test
  void pgvRules_areReadFromTheDescriptors_alsoInsideAny() {
    FilterChainMatch badPort =
        FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(70000)).build();
    assertThat(rules(listener(tcp("a", badPort, "c")), CLUSTER))
        .containsExactly("pgv.number.range");
    TcpProxy noStatPrefix = TcpProxy.newBuilder().setCluster("c").build();
    FilterChain chain =
        FilterChain.newBuilder()
            .setName("a")
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.tcp_proxy")
                    .setTypedConfig(Any.pack(noStatPrefix)))
            .build();
    assertThat(rules(listener(chain), CLUSTER)).containsExactly("pgv.string.min_len");
    TcpProxy noCluster = TcpProxy.newBuilder().setStatPrefix("s").build();
    FilterChain unrouted =
        FilterChain.newBuilder()
            .setName("a")
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.tcp_proxy")
                    .setTypedConfig(Any.pack(noCluster)))
            .build();
    assertThat(rules(listener(unrouted), CLUSTER)).containsExactly("pgv.oneof.required");
  }

  @Test
  void pgvRules_areCheckedInConfigsPackedInsidePackedConfigs() {
    // An HTTP filter's config is an Any inside the connection manager's Any.
    io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config emptyKey =
        io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.newBuilder()
            .addOnRequestHeaders(
                io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue
                    .newBuilder()
                    .setObjectKey("")
                    .setFormatString(
                        io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString.newBuilder()
                            .setTextFormat("x")))
            .build();
    HttpFilter router =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance()))
            .build();
    HttpFilter bad =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.set_filter_state")
            .setTypedConfig(Any.pack(emptyKey))
            .build();
    List<AcceptanceProblem> problems =
        EnvoyAcceptance.check(List.of(listener(http(List.of(bad, router)))), List.of());
    assertThat(problems).extracting(AcceptanceProblem::rule).containsExactly("pgv.string.min_len");
    assertThat(problems.toString())
        .contains("httpFilters[0].typedConfig.onRequestHeaders[0].objectKey");
    assertThat(EnvoyAcceptance.check(List.of(listener(http(List.of(router)))), List.of()))
        .extracting(AcceptanceProblem::rule)
        .doesNotContain("pgv.string.min_len");
  }

  @Test
  void chainsFilingIntoOneLeaf_areRejected_afterNormalising() {
    FilterChainMatch a =
        FilterChainMatch.newBuilder()
            .addPrefixRanges(range("10.0.0.0", 8))
            .addServerNames("A.example.com")
            .build();
    FilterChainMatch b =
        FilterChainMatch.newBuilder()
            .addPrefixRanges(range("10.1.2.3", 8))
            .addServerNames("a.example.com")
            .build();
    assertThat(rules(listener(tcp("a", a, "c"), tcp("b", b, "c")), CLUSTER))
        .contains("listener.chain.overlap", "trap.host-bits");
    assertThat(rules(listener(tcp("a", a, "c"), tcp("b", a, "c")), CLUSTER))
        .contains("listener.chain.same-match");
  }

  @Test
  void chainNames_mayRepeat_withoutAMatcher() {
    // Envoy 1.40 accepts this (real-envoy/accept/10); under a matcher it does not
    // (MatcherAcceptanceRulesTest).
    FilterChainMatch a =
        FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(1)).build();
    FilterChainMatch b =
        FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(2)).build();
    assertThat(rules(listener(tcp("x", a, "c"), tcp("x", b, "c")), CLUSTER)).isEmpty();
  }

  @Test
  void aListener_needsAnAddress() {
    Listener noAddress =
        listener(tcp("a", FilterChainMatch.getDefaultInstance(), "c")).toBuilder()
            .clearAddress()
            .build();
    assertThat(rules(noAddress, CLUSTER)).containsExactly("listener.address");
  }

  @Test
  void aFilter_needsAConfigOfItsOwnKind() {
    Filter routerAsNetworkFilter =
        Filter.newBuilder()
            .setName("envoy.filters.network.tcp_proxy")
            .setTypedConfig(Any.pack(Router.getDefaultInstance()))
            .build();
    assertThat(
            rules(
                listener(
                    FilterChain.newBuilder()
                        .setName("a")
                        .addFilters(routerAsNetworkFilter)
                        .build()),
                CLUSTER))
        .containsExactly("listener.filter.type");
    Listener proxyAsListenerFilter =
        listener(tcp("a", FilterChainMatch.getDefaultInstance(), "c")).toBuilder()
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName("envoy.filters.listener.tls_inspector")
                    .setTypedConfig(
                        Any.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster("c").build())))
            .build();
    assertThat(rules(proxyAsListenerFilter, CLUSTER)).containsExactly("listener.filter.type");
    Listener inspector =
        listener(tcp("a", FilterChainMatch.getDefaultInstance(), "c")).toBuilder()
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName("envoy.filters.listener.tls_inspector")
                    .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
            .build();
    assertThat(rules(inspector, CLUSTER)).isEmpty();
  }

  @Test
  void theRouter_isTheLastHttpFilter_andOnlyTheLast() {
    HttpFilter router =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance()))
            .build();
    HttpFilter cors =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.cors")
            .setTypedConfig(
                Any.newBuilder()
                    .setTypeUrl("type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"))
            .build();
    assertThat(rules(listener(http(List.of(cors, router))), CLUSTER))
        .doesNotContain("listener.http-filter.terminal-last");
    assertThat(rules(listener(http(List.of(router, cors))), CLUSTER))
        .contains("listener.http-filter.terminal-last");
    assertThat(rules(listener(http(List.of(cors))), CLUSTER))
        .contains("listener.http-filter.terminal-last")
        .doesNotContain("trap.no-router");
    assertThat(rules(listener(http(List.of())), CLUSTER)).containsExactly("trap.no-router");
  }

  @Test
  void anHttp3Codec_needsAQuicListener() {
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("h")
            .setCodecType(HttpConnectionManager.CodecType.HTTP3)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .setRouteConfig(RouteConfiguration.newBuilder().setName("r"))
            .build();
    FilterChain chain =
        FilterChain.newBuilder()
            .setName("a")
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.http_connection_manager")
                    .setTypedConfig(Any.pack(manager)))
            .build();
    assertThat(rules(listener(chain), CLUSTER)).containsExactly("listener.http3-codec");
  }

  private static FilterChain http(List<HttpFilter> filters) {
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("h")
            .addAllHttpFilters(filters)
            .setRouteConfig(RouteConfiguration.newBuilder().setName("r"))
            .build();
    return FilterChain.newBuilder()
        .setName("a")
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(manager)))
        .build();
  }

  @Test
  void partialServerNameWildcards_areRejected() {
    for (String name : List.of("*", "*w.example.com", "a.*.com")) {
      FilterChainMatch match = FilterChainMatch.newBuilder().addServerNames(name).build();
      assertThat(rules(listener(tcp("a", match, "c")), CLUSTER))
          .as(name)
          .containsExactly("listener.server-name.wildcard");
    }
  }

  @Test
  void prefixRangeTraps_areFound() {
    assertThat(
            rules(
                listener(
                    tcp(
                        "a",
                        FilterChainMatch.newBuilder()
                            .addPrefixRanges(range("10.0.0.1", null))
                            .build(),
                        "c")),
                CLUSTER))
        .contains("trap.prefix-len-unset");
    assertThat(
            rules(
                listener(
                    tcp(
                        "a",
                        FilterChainMatch.newBuilder()
                            .addPrefixRanges(range("10.0.0.1", 40))
                            .build(),
                        "c")),
                CLUSTER))
        .contains("trap.prefix-len-clamped");
    assertThat(
            rules(
                listener(
                    tcp(
                        "a",
                        FilterChainMatch.newBuilder().addPrefixRanges(range("fd00::", 64)).build(),
                        "c")),
                CLUSTER))
        .containsExactly("trap.family");
    assertThat(
            rules(
                listener(
                    tcp(
                        "a",
                        FilterChainMatch.newBuilder()
                            .addPrefixRanges(range("example.com", 8))
                            .build(),
                        "c")),
                CLUSTER))
        .containsExactly("listener.prefix.malformed");
    // Envoy's inet_pton takes ASCII digits only; Guava alone would read the fullwidth 1 as 1.
    assertThat(
            rules(
                listener(
                    tcp(
                        "a",
                        FilterChainMatch.newBuilder()
                            .addPrefixRanges(range("\uFF110.0.0.0", 8))
                            .build(),
                        "c")),
                CLUSTER))
        .containsExactly("listener.prefix.malformed");
    FilterChainMatch everything =
        FilterChainMatch.newBuilder().addPrefixRanges(range("0.0.0.0", 0)).build();
    assertThat(
            rules(
                listener(
                    tcp("a", everything, "c"),
                    tcp(
                        "b",
                        FilterChainMatch.newBuilder().setTransportProtocol("tls").build(),
                        "c")),
                CLUSTER))
        .containsExactly("trap.explicit-catch-all");
  }

  @Test
  void filters_needOneTerminalFilterLast_andClustersThatExist() {
    assertThat(rules(listener(tcp("a", FilterChainMatch.getDefaultInstance(), "missing")), CLUSTER))
        .containsExactly("trap.missing-cluster");
    FilterChain empty = FilterChain.newBuilder().setName("a").build();
    assertThat(rules(listener(empty), CLUSTER)).containsExactly("trap.empty-chain");
    FilterChain terminalFirst =
        tcp("a", FilterChainMatch.getDefaultInstance(), "c").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.rbac")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    assertThat(rules(listener(terminalFirst), CLUSTER)).contains("listener.filter.terminal-last");
    assertThat(rules(listener())).containsExactly("listener.no-chains");
  }

  @Test
  void routes_needUniqueDomains_oneWildcard_theRouter_andKnownClusters() {
    Route toMissing =
        Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setCluster("missing"))
            .build();
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName("r")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("a")
                    .addDomains("Example.com")
                    .addDomains("*")
                    .addRoutes(toMissing))
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("b")
                    .addDomains("example.com")
                    .addDomains("*")
                    .addDomains("*.x.com:*")
                    .addRoutes(toMissing))
            .build();
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("h")
            .setRouteConfig(routes)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    FilterChain chain =
        FilterChain.newBuilder()
            .setName("a")
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.http_connection_manager")
                    .setTypedConfig(Any.pack(manager)))
            .build();
    assertThat(rules(listener(chain), CLUSTER))
        .containsExactlyInAnyOrder(
            "route.domain-unique",
            "route.domain-unique",
            "trap.useless-domain",
            "route.unknown-cluster",
            "route.unknown-cluster",
            "route.single-wildcard");
    HttpConnectionManager noRouter =
        manager.toBuilder()
            .clearHttpFilters()
            .setRouteConfig(RouteConfiguration.getDefaultInstance())
            .build();
    FilterChain withoutRouter =
        FilterChain.newBuilder()
            .setName("a")
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.http_connection_manager")
                    .setTypedConfig(Any.pack(noRouter)))
            .build();
    assertThat(rules(listener(withoutRouter), CLUSTER)).containsExactly("trap.no-router");
  }

  @Test
  void originalDstClusters_needClusterProvidedAndNoEndpoints() {
    Cluster wrong =
        CLUSTER.toBuilder()
            .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
            .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName("c"))
            .build();
    assertThat(EnvoyAcceptance.check(List.of(), List.of(wrong)))
        .extracting(AcceptanceProblem::rule)
        .containsExactly("cluster.original-dst-lb", "cluster.original-dst-endpoints");
    assertThat(EnvoyAcceptance.check(List.of(), List.of(CLUSTER, CLUSTER)))
        .extracting(AcceptanceProblem::rule)
        .containsExactly("cluster.name-unique");
  }
}
