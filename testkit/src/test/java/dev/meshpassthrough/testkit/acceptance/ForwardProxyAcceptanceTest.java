package dev.meshpassthrough.testkit.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Envoy 1.40 refuses in dynamic forward proxy filters and clusters. */
class ForwardProxyAcceptanceTest {
  private static final DnsCacheConfig CACHE = DnsCacheConfig.newBuilder().setName("c").build();
  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final HttpProtocolOptions HTTP1 =
      HttpProtocolOptions.newBuilder()
          .setExplicitHttpConfig(
              HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                  .setHttpProtocolOptions(
                      io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance()))
          .build();
  private static final String FILTER_CONFIG_URL =
      "type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig";

  @Test
  void theDynamicPinningTranslation_isAccepted() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(domain("api.example.com"), 443, Protocol.TLS),
                Match.onEveryPort(domain("*.example.org"), Protocol.TLS),
                Match.of(domain("web.example.com"), 80, Protocol.HTTP),
                Match.of(domain("grpc.example.com"), 8080, Protocol.GRPC)));
    TranslationResult resources =
        PassthroughTranslator.create(
                TranslatorOptions.defaults().withDomainPinning(DomainPinning.DYNAMIC))
            .translate(conf, ProxyContext.defaultTransparentProxy());

    assertThat(resources.clusters())
        .extracting(Cluster::getName)
        .contains(
            "meshpassthrough_dfp_tls", "meshpassthrough_dfp_http", "meshpassthrough_dfp_http2");
    assertThat(EnvoyAcceptance.check(resources)).isEmpty();
  }

  @Test
  void aForwardProxyCluster_withHttpOptionsLackingAutoSni_isRefused_unlessInsecureIsAllowed() {
    Cluster withOptions =
        cluster(ClusterConfig.newBuilder().setDnsCacheConfig(CACHE)).toBuilder()
            .putTypedExtensionProtocolOptions(HTTP_OPTIONS, Any.pack(HTTP1))
            .build();
    Cluster withAutoSni =
        withOptions.toBuilder()
            .putTypedExtensionProtocolOptions(
                HTTP_OPTIONS,
                Any.pack(
                    HTTP1.toBuilder()
                        .setUpstreamHttpProtocolOptions(
                            UpstreamHttpProtocolOptions.newBuilder()
                                .setAutoSni(true)
                                .setAutoSanValidation(true))
                        .build()))
            .build();
    Cluster insecure =
        cluster(
                ClusterConfig.newBuilder()
                    .setDnsCacheConfig(CACHE)
                    .setAllowInsecureClusterOptions(true))
            .toBuilder()
            .putTypedExtensionProtocolOptions(HTTP_OPTIONS, Any.pack(HTTP1))
            .build();

    assertThat(rules(List.of(), List.of(withOptions))).containsExactly("cluster.dfp-auto-sni");
    assertThat(problems(List.of(), List.of(withOptions)).get(0).message())
        .isEqualTo(
            "dynamic_forward_proxy cluster must have auto_sni and auto_san_validation true unless"
                + " allow_insecure_cluster_options is set.");
    assertThat(rules(List.of(), List.of(withAutoSni))).isEmpty();
    assertThat(rules(List.of(), List.of(insecure))).isEmpty();
    assertThat(
            rules(List.of(), List.of(cluster(ClusterConfig.newBuilder().setDnsCacheConfig(CACHE)))))
        .as("without HTTP options Envoy sets auto_sni and auto_san_validation itself")
        .isEmpty();
  }

  @Test
  void aForwardProxyCluster_needsADnsCache_andClusterProvided() {
    Cluster noCache = cluster(ClusterConfig.newBuilder());
    Cluster roundRobin =
        cluster(ClusterConfig.newBuilder().setDnsCacheConfig(CACHE)).toBuilder()
            .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
            .build();

    assertThat(rules(List.of(), List.of(noCache))).containsExactly("dfp.dns-cache");
    assertThat(rules(List.of(), List.of(roundRobin))).containsExactly("cluster.dfp-lb");
  }

  @Test
  void theSniFilter_needsADnsCache_andAPortInRange() {
    Listener noCache = listener(sniFilter(FilterConfig.newBuilder()), tcpProxy());
    Listener zeroPort =
        listener(
            sniFilter(FilterConfig.newBuilder().setDnsCacheConfig(CACHE).setPortValue(0)),
            tcpProxy());

    assertThat(rules(List.of(noCache), List.of(dfpCluster())))
        .containsExactly("pgv.message.required");
    assertThat(rules(List.of(zeroPort), List.of(dfpCluster()))).containsExactly("pgv.number.range");
  }

  @Test
  void oneCacheName_oneConfiguration() {
    DnsCacheConfig other = CACHE.toBuilder().setDnsLookupFamilyValue(1).build();
    Listener listener =
        listener(
            sniFilter(FilterConfig.newBuilder().setDnsCacheConfig(other).setPortValue(443)),
            tcpProxy());

    assertThat(rules(List.of(listener), List.of(dfpCluster())))
        .containsExactly("dfp.dns-cache-conflict");
  }

  @Test
  void theHttpFilterInATypedStruct_isCheckedAsTheMessageItNames() {
    Struct cache =
        Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("c").build())
            .build();
    Struct good =
        Struct.newBuilder()
            .putFields(
                "allow_dynamic_host_from_filter_state",
                Value.newBuilder().setBoolValue(true).build())
            .putFields("dns_cache_config", Value.newBuilder().setStructValue(cache).build())
            .build();
    Struct unknownField =
        good.toBuilder()
            .putFields("no_such_field", Value.newBuilder().setBoolValue(true).build())
            .build();
    Struct noCache = good.toBuilder().removeFields("dns_cache_config").build();

    assertThat(rules(List.of(httpListener(FILTER_CONFIG_URL, good)), List.of(dfpCluster())))
        .isEmpty();
    assertThat(rules(List.of(httpListener(FILTER_CONFIG_URL, unknownField)), List.of(dfpCluster())))
        .containsExactly("typed-struct.value");
    assertThat(rules(List.of(httpListener(FILTER_CONFIG_URL, noCache)), List.of(dfpCluster())))
        .containsExactly("dfp.dns-cache");
    assertThat(
            rules(
                List.of(httpListener("type.googleapis.com/no.such.Type", good)),
                List.of(dfpCluster())))
        .containsExactly("any.unknown-type");
  }

  private static List<AcceptanceProblem> problems(
      List<Listener> listeners, List<Cluster> clusters) {
    return EnvoyAcceptance.check(listeners, clusters);
  }

  private static List<String> rules(List<Listener> listeners, List<Cluster> clusters) {
    return problems(listeners, clusters).stream().map(AcceptanceProblem::rule).toList();
  }

  private static Cluster cluster(ClusterConfig.Builder config) {
    return Cluster.newBuilder()
        .setName("dfp")
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .setClusterType(
            Cluster.CustomClusterType.newBuilder()
                .setName("envoy.clusters.dynamic_forward_proxy")
                .setTypedConfig(Any.pack(config.build())))
        .build();
  }

  private static Cluster dfpCluster() {
    return cluster(ClusterConfig.newBuilder().setDnsCacheConfig(CACHE));
  }

  private static Filter sniFilter(FilterConfig.Builder config) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.sni_dynamic_forward_proxy")
        .setTypedConfig(Any.pack(config.build()))
        .build();
  }

  private static Filter tcpProxy() {
    return Filter.newBuilder()
        .setName("envoy.filters.network.tcp_proxy")
        .setTypedConfig(
            Any.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster("dfp").build()))
        .build();
  }

  private static Listener httpListener(String typeUrl, Struct value) {
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("h")
            .setRouteConfig(
                io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDefaultInstance())
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.dynamic_forward_proxy")
                    .setTypedConfig(
                        Any.pack(
                            TypedStruct.newBuilder().setTypeUrl(typeUrl).setValue(value).build())))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return listener(
        Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(manager))
            .build());
  }

  private static Listener listener(Filter... filters) {
    return Listener.newBuilder()
        .setName("l")
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
        .addFilterChains(FilterChain.newBuilder().setName("c").addAllFilters(List.of(filters)))
        .build();
  }

  private static Destination domain(String name) {
    return Destination.of(MatchType.DOMAIN, name);
  }
}
