package dev.meshpassthrough.envoy.internal.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spliced managers are byte for byte what {@code Any.pack} of the built manager gives. */
class ManagerEncodingTest {

  static Stream<Arguments> managers() {
    HttpConnectionManager plain =
        HttpConnectionManager.newBuilder()
            .setStripAnyHostPort(true)
            .setHttpProtocolOptions(Http1ProtocolOptions.newBuilder().setAcceptHttp10(true))
            .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router"))
            .build();
    HttpConnectionManager audited =
        plain.toBuilder().addAccessLog(AccessLog.newBuilder().setName("audit")).build();
    return Stream.of(
        Arguments.of("meshpassthrough_443_*_http", "meshpassthrough_443_*_http", hosts(3), plain),
        Arguments.of("", "", hosts(0), plain),
        Arguments.of("stats", "", hosts(1), HttpConnectionManager.getDefaultInstance()),
        Arguments.of("", "routes", hosts(2), audited),
        // Lengths past one varint byte, and text that is not ASCII.
        Arguments.of("x".repeat(200), "ü".repeat(300), hosts(2_000), audited));
  }

  @ParameterizedTest
  @MethodSource("managers")
  void pack_equalsAnyPackOfTheBuiltManager(
      String statPrefix,
      String routeConfigName,
      List<VirtualHost> hosts,
      HttpConnectionManager rest) {
    VirtualHost last = host("no_match", "*");
    HttpConnectionManager built =
        rest.toBuilder()
            .setStatPrefix(statPrefix)
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName(routeConfigName)
                    .addAllVirtualHosts(hosts)
                    .addVirtualHosts(last))
            .build();

    Any spliced = ManagerEncoding.pack(statPrefix, routeConfigName, encoded(hosts), last, rest);

    assertThat(spliced.getTypeUrl()).isEqualTo(Any.pack(built).getTypeUrl());
    assertThat(spliced.getValue()).isEqualTo(built.toByteString());
    assertThat(spliced.toByteString()).isEqualTo(Any.pack(built).toByteString());
  }

  @Test
  void pack_refusesARestWithFieldsUpToRouteConfig() {
    ByteString none = encoded(List.of());
    VirtualHost last = host("no_match", "*");
    for (HttpConnectionManager rest :
        List.of(
            HttpConnectionManager.newBuilder().setStatPrefix("s").build(),
            HttpConnectionManager.newBuilder()
                .setRouteConfig(RouteConfiguration.getDefaultInstance())
                .build(),
            HttpConnectionManager.newBuilder()
                .setCodecType(HttpConnectionManager.CodecType.HTTP1)
                .build())) {
      assertThatThrownBy(() -> ManagerEncoding.pack("s", "r", none, last, rest))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  static Stream<Arguments> forwardingHosts() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      many.add("svc" + i + ".example.com");
    }
    return Stream.of(
        Arguments.of(List.of(), List.of()),
        Arguments.of(
            List.of("api.example.com"), List.of("meshpassthrough_http_api.example.com_80")),
        Arguments.of(List.of("*.example.com", "a.example.com"), List.of("c1", "c2")),
        // An empty name is omitted (proto3), the domain and the cluster (a oneof member) are not.
        Arguments.of(List.of(""), List.of("")),
        // Lengths past one and two varint bytes, text that is not ASCII.
        Arguments.of(List.of("ü".repeat(300), "d".repeat(20_000)), List.of("x".repeat(130), "é")),
        Arguments.of(many, many.stream().map(d -> "meshpassthrough_http_" + d + "_80").toList()));
  }

  @ParameterizedTest
  @MethodSource("forwardingHosts")
  void forwardingHosts_equalTheBuiltHostsEncoding(List<String> domains, List<String> clusters) {
    List<VirtualHost> built = new ArrayList<>();
    for (int i = 0; i < domains.size(); i++) {
      built.add(
          VirtualHost.newBuilder()
              .setName(domains.get(i))
              .addDomains(domains.get(i))
              .addRoutes(
                  Route.newBuilder()
                      .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                      .setRoute(RouteAction.newBuilder().setCluster(clusters.get(i))))
              .build());
    }

    assertThat(ManagerEncoding.forwardingHosts(domains, clusters)).isEqualTo(encoded(built));
  }

  @Test
  void forwardingHosts_refusesAClusterCountOtherThanTheDomains() {
    assertThatThrownBy(() -> ManagerEncoding.forwardingHosts(List.of("a", "b"), List.of("c")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The hosts as the {@code virtual_hosts} fields of a route configuration, as protobuf writes
   * them.
   */
  private static ByteString encoded(List<VirtualHost> hosts) {
    return RouteConfiguration.newBuilder().addAllVirtualHosts(hosts).build().toByteString();
  }

  private static List<VirtualHost> hosts(int count) {
    List<VirtualHost> hosts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hosts.add(host("svc" + i + ".example.com", "svc" + i + ".example.com"));
    }
    return hosts;
  }

  private static VirtualHost host(String name, String domain) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addDomains(domain)
        .addRoutes(
            Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster("c_" + name)))
        .build();
  }
}
