package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.KumaLine;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Domain pinning in the exact profile: which cluster each entry's traffic goes to, the dynamic
 * forward proxy's filters, and the notes on what stays on the dialed address. Where the traffic
 * really goes is proven by the simulator and on a real Envoy (testkit).
 */
class DomainPinningTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final String IPV4 = "self_transparentproxy_passthrough_outbound_ipv4";

  private static final Match EXACT_TLS =
      Match.of(Destination.of(MatchType.DOMAIN, "API.example.com"), 443, Protocol.TLS);
  private static final Match WILDCARD_TLS =
      Match.onEveryPort(Destination.of(MatchType.DOMAIN, "*.example.org"), Protocol.TLS);
  private static final Match PORTLESS_HTTP =
      Match.onEveryPort(Destination.of(MatchType.DOMAIN, "web.example.com"), Protocol.HTTP);
  private static final Match GRPC =
      Match.of(Destination.of(MatchType.DOMAIN, "*.svc.example.com"), 9000, Protocol.GRPC);
  private static final Match NUMERIC_WILDCARD =
      Match.of(Destination.of(MatchType.DOMAIN, "*.0.1"), 80, Protocol.HTTP);
  private static final Match IP =
      Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 5432, Protocol.TCP);
  private static final PassthroughConf CONF =
      PassthroughConf.of(
          PassthroughMode.MATCHED,
          List.of(EXACT_TLS, WILDCARD_TLS, PORTLESS_HTTP, GRPC, NUMERIC_WILDCARD, IP));

  private static TranslationResult translate(DomainPinning pinning, Encoding encoding) {
    return PassthroughTranslator.create(
            TranslatorOptions.defaults().withEncoding(encoding).withDomainPinning(pinning))
        .translate(CONF, PROXY);
  }

  private static Map<String, String> clusterKinds(TranslationResult result) {
    Map<String, String> kinds = new TreeMap<>();
    for (Cluster cluster : result.clusters()) {
      kinds.put(
          cluster.getName(),
          cluster.hasClusterType() ? cluster.getClusterType().getName() : cluster.getType().name());
    }
    return kinds;
  }

  @Test
  void defaults_followTheKumaLine() {
    assertThat(TranslatorOptions.defaults().effectiveDomainPinning()).isEqualTo(DomainPinning.OFF);
    assertThat(TranslatorOptions.defaults().withKumaLine(KumaLine.V3).effectiveDomainPinning())
        .isEqualTo(DomainPinning.DNS);
    assertThat(
            TranslatorOptions.defaults()
                .withKumaLine(KumaLine.V3)
                .withDomainPinning(DomainPinning.OFF)
                .effectiveDomainPinning())
        .isEqualTo(DomainPinning.OFF);
    assertThat(DomainPinning.parse("Dynamic")).contains(DomainPinning.DYNAMIC);
    assertThat(DomainPinning.parse("strict")).isEmpty();
  }

  @Test
  void theKumaProfile_takesOnlyItsLinesPinning() {
    TranslatorOptions kuma = TranslatorOptions.of(TranslationProfile.KUMA);
    assertThat(kuma.withDomainPinning(DomainPinning.OFF).effectiveDomainPinning())
        .isEqualTo(DomainPinning.OFF);
    assertThatThrownBy(() -> kuma.withDomainPinning(DomainPinning.DYNAMIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the kuma profile pins domains as Kuma 2.x does (off), not dynamic");
    assertThat(
            kuma.withKumaLine(KumaLine.V3)
                .withDomainPinning(DomainPinning.DNS)
                .effectiveDomainPinning())
        .isEqualTo(DomainPinning.DNS);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void off_isTheDefaultOutput_everyClusterIsTheDialedAddress(Encoding encoding) {
    TranslationResult off = translate(DomainPinning.OFF, encoding);
    TranslationResult defaults =
        PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(encoding))
            .translate(CONF, PROXY);
    assertThat(off.toJson()).isEqualTo(defaults.toJson());
    assertThat(clusterKinds(off).values()).containsOnly("ORIGINAL_DST");
    assertThat(off.notes()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void dns_pinsExactDomainsWithAPort_andNotesEveryOtherDomain(Encoding encoding) {
    TranslationResult dns = translate(DomainPinning.DNS, encoding);

    assertThat(clusterKinds(dns))
        .containsEntry("meshpassthrough_tls_API.example.com_443", "STRICT_DNS")
        .containsEntry("meshpassthrough_tls_*.example.org_*", "ORIGINAL_DST")
        .containsEntry("meshpassthrough_http_web.example.com_*", "ORIGINAL_DST")
        .containsEntry("meshpassthrough_grpc_*.svc.example.com_9000", "ORIGINAL_DST")
        .containsEntry("meshpassthrough_tcp_10.0.0.1_5432", "ORIGINAL_DST");
    Cluster pinned = dns.cluster("meshpassthrough_tls_API.example.com_443").orElseThrow();
    var address =
        pinned
            .getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("api.example.com");
    assertThat(address.getPortValue()).isEqualTo(443);
    // The default proxy is dual-stack: names resolve in both families.
    assertThat(pinned.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.AUTO);

    assertThat(dns.notes())
        .extracting(Problem::severity, p -> p.path().orElseThrow().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Severity.NOTE, "spec.default.appendMatch[1]"),
            org.assertj.core.groups.Tuple.tuple(Severity.NOTE, "spec.default.appendMatch[2]"),
            org.assertj.core.groups.Tuple.tuple(Severity.NOTE, "spec.default.appendMatch[3]"),
            org.assertj.core.groups.Tuple.tuple(Severity.NOTE, "spec.default.appendMatch[4]"));
    assertThat(dns.notes().get(0).message())
        .isEqualTo(
            "*.example.org (tls) is not pinned under domain pinning dns (a wildcard domain names no"
                + " host to resolve): its traffic goes to the address the client dialed; domain"
                + " pinning dynamic pins it");
    assertThat(dns.notes().get(1).message())
        .contains("web.example.com (http)", "a domain without a port names no port");
    assertThat(dns.notes()).allMatch(p -> p.ruleId().equals("translate.pinning.not-pinned"));
  }

  @Test
  void dns_resolvesIpv4Only_onAnIpv4Proxy() throws java.io.IOException {
    ProxyContext ipv4 =
        ProxyContext.read(Path.of("..", "examples", "serve", "proxies", "web-0.yaml"));
    assertThat(ipv4.dataplaneIpv6()).isFalse();
    TranslationResult result =
        PassthroughTranslator.create(
                TranslatorOptions.defaults().withDomainPinning(DomainPinning.DNS))
            .translate(PassthroughConf.of(PassthroughMode.MATCHED, List.of(EXACT_TLS)), ipv4);
    assertThat(
            result
                .cluster("meshpassthrough_tls_API.example.com_443")
                .orElseThrow()
                .getDnsLookupFamily())
        .isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void dynamic_pinsEveryDomain_throughTheDynamicForwardProxy(Encoding encoding)
      throws InvalidProtocolBufferException {
    TranslationResult dynamic = translate(DomainPinning.DYNAMIC, encoding);

    assertThat(clusterKinds(dynamic))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "meshpassthrough_dfp_http", "envoy.clusters.dynamic_forward_proxy",
                    "meshpassthrough_dfp_http2", "envoy.clusters.dynamic_forward_proxy",
                    "meshpassthrough_dfp_tls", "envoy.clusters.dynamic_forward_proxy",
                    "meshpassthrough_http_*.0.1_80", "ORIGINAL_DST",
                    "meshpassthrough_tcp_10.0.0.1_5432", "ORIGINAL_DST")));
    DnsCacheConfig cache = null;
    for (Cluster cluster : dynamic.clusters()) {
      if (cluster.hasClusterType()) {
        assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
        DnsCacheConfig own =
            cluster
                .getClusterType()
                .getTypedConfig()
                .unpack(ClusterConfig.class)
                .getDnsCacheConfig();
        // The default proxy is dual-stack: the AUTO cache, named after its setting.
        assertThat(own.getName()).isEqualTo("meshpassthrough_dfp_auto");
        assertThat(own.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.AUTO);
        assertThat(own.getMaxHosts().getValue()).isEqualTo(1024);
        if (cache != null) {
          assertThat(own).isEqualTo(cache);
        }
        cache = own;
      }
    }
    assertThat(dynamic.notes())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.severity()).isEqualTo(Severity.WARNING);
              assertThat(p.path().orElseThrow().toString())
                  .isEqualTo("spec.default.appendMatch[4]");
              assertThat(p.message()).startsWith("*.0.1:80 (http) is not pinned");
            });

    Listener listener = dynamic.listener(IPV4).orElseThrow();
    List<FilterChain> tlsChains =
        chains(dynamic, listener).filter(c -> c.getName().contains("_tls_")).toList();
    assertThat(tlsChains).isNotEmpty();
    for (FilterChain chain : tlsChains) {
      assertThat(chain.getFiltersList())
          .extracting(Filter::getName)
          .containsExactly(
              "envoy.filters.network.set_filter_state",
              "envoy.filters.network.sni_dynamic_forward_proxy",
              "envoy.filters.network.tcp_proxy");
      FilterConfig sni = chain.getFilters(1).getTypedConfig().unpack(FilterConfig.class);
      assertThat(sni.getDnsCacheConfig()).isEqualTo(cache);
      // The entry's port, else TLS's: Envoy reads it only when the filter state has no port.
      assertThat(sni.getPortValue()).isEqualTo(443);
      assertThat(chain.getFilters(2).getTypedConfig().unpack(TcpProxy.class).getCluster())
          .isEqualTo("meshpassthrough_dfp_tls");
    }

    List<HttpConnectionManager> managers = new ArrayList<>();
    for (FilterChain chain : chains(dynamic, listener).toList()) {
      for (Filter filter : chain.getFiltersList()) {
        if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
          managers.add(filter.getTypedConfig().unpack(HttpConnectionManager.class));
        }
      }
    }
    assertThat(managers).isNotEmpty();
    for (HttpConnectionManager manager : managers) {
      List<String> routed =
          manager.getRouteConfig().getVirtualHostsList().stream()
              .flatMap(v -> v.getRoutesList().stream())
              .map(r -> r.getRoute().getCluster())
              .filter(c -> !c.isEmpty())
              .toList();
      boolean viaProxy = routed.stream().anyMatch(c -> c.startsWith("meshpassthrough_dfp_"));
      List<String> filters =
          manager.getHttpFiltersList().stream().map(HttpFilter::getName).toList();
      if (viaProxy) {
        assertThat(manager.getStripAnyHostPort()).isTrue();
        assertThat(filters)
            .containsExactly(
                "envoy.filters.http.set_filter_state",
                "envoy.filters.http.dynamic_forward_proxy",
                "envoy.filters.http.router");
        TypedStruct lookup = manager.getHttpFilters(1).getTypedConfig().unpack(TypedStruct.class);
        assertThat(lookup.getTypeUrl())
            .isEqualTo(
                "type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig");
        assertThat(
                lookup
                    .getValue()
                    .getFieldsOrThrow("allow_dynamic_host_from_filter_state")
                    .getBoolValue())
            .isTrue();
        assertThat(
                lookup
                    .getValue()
                    .getFieldsOrThrow("dns_cache_config")
                    .getStructValue()
                    .getFieldsOrThrow("name")
                    .getStringValue())
            .isEqualTo("meshpassthrough_dfp_auto");
      } else {
        assertThat(filters).containsExactly("envoy.filters.http.router");
      }
    }
    assertThat(dynamic.toJson()).contains("\"allow_dynamic_host_from_filter_state\" : true");
  }

  @Test
  void dynamic_namesTheDnsCacheAfterItsSettings_soAProxyChangingFamilyMovesToAnotherCache()
      throws java.io.IOException {
    ProxyContext ipv4 =
        ProxyContext.read(Path.of("..", "examples", "serve", "proxies", "web-0.yaml"));
    TranslationResult result =
        PassthroughTranslator.create(
                TranslatorOptions.defaults().withDomainPinning(DomainPinning.DYNAMIC))
            .translate(PassthroughConf.of(PassthroughMode.MATCHED, List.of(WILDCARD_TLS)), ipv4);
    assertThat(result.clusters())
        .singleElement()
        .satisfies(
            cluster -> {
              DnsCacheConfig cache =
                  cluster
                      .getClusterType()
                      .getTypedConfig()
                      .unpack(ClusterConfig.class)
                      .getDnsCacheConfig();
              assertThat(cache.getName()).isEqualTo("meshpassthrough_dfp_v4only");
              assertThat(cache.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
            });
  }

  @Test
  void dynamic_keepsTheGrpcEntryOnHttp2Upstream() {
    TranslationResult dynamic = translate(DomainPinning.DYNAMIC, Encoding.LEGACY);
    assertThat(
            dynamic
                .cluster("meshpassthrough_dfp_http2")
                .orElseThrow()
                .getTypedExtensionProtocolOptionsMap())
        .containsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    assertThat(
            dynamic
                .cluster("meshpassthrough_dfp_http")
                .orElseThrow()
                .getTypedExtensionProtocolOptionsMap())
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(DomainPinning.class)
  void sameInput_sameBytes(DomainPinning pinning) {
    for (Encoding encoding : Encoding.values()) {
      assertThat(translate(pinning, encoding).toJson())
          .isEqualTo(translate(pinning, encoding).toJson());
    }
  }

  @Test
  void ipAndCidrEntries_neverChange() {
    PassthroughConf ipOnly =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                IP, Match.of(Destination.of(MatchType.CIDR, "10.1.0.0/16"), 443, Protocol.TLS)));
    String off =
        PassthroughTranslator.create(TranslatorOptions.defaults())
            .translate(ipOnly, PROXY)
            .toJson();
    for (DomainPinning pinning : DomainPinning.values()) {
      assertThat(
              PassthroughTranslator.create(TranslatorOptions.defaults().withDomainPinning(pinning))
                  .translate(ipOnly, PROXY)
                  .toJson())
          .as(pinning.name())
          .isEqualTo(off);
    }
  }

  private static Stream<FilterChain> chains(TranslationResult result, Listener listener) {
    List<FilterChain> all = new ArrayList<>(listener.getFilterChainsList());
    for (Listener other : result.listeners()) {
      if (other.getName().startsWith("meshpassthrough_port_")) {
        all.addAll(other.getFilterChainsList());
      }
    }
    return all.stream();
  }
}
