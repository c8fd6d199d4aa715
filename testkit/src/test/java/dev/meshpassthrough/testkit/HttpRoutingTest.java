package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.h2c;
import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
import static dev.meshpassthrough.testkit.Connection.mysql;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The HTTP connection manager: virtual hosts in Envoy's order (§4), ports in the Host, HTTP/1.0,
 * codecs.
 */
class HttpRoutingTest {
  private static final List<VirtualHost> HOSTS =
      List.of(
          host("exact", "api.example.com", "api.example.com:8080"),
          host("suffix", "*.example.com"),
          host("longer-suffix", "*.b.example.com"),
          host("prefix", "api.*"),
          host("any-port", "web.example.org:*"),
          host("star", "*"));

  @Test
  void virtualHosts_exactThenLongestSuffixThenLongestPrefixThenStar() {
    EnvoySimulator envoy = simulator(UnaryOperator.identity());

    assertThat(virtualHost(envoy, http("api.example.com", 80))).isEqualTo("exact");
    assertThat(virtualHost(envoy, http("API.Example.COM", 8080))).isEqualTo("exact");
    assertThat(virtualHost(envoy, http("a.b.example.com", 80))).isEqualTo("longer-suffix");
    assertThat(virtualHost(envoy, http("x.example.com", 80))).isEqualTo("suffix");
    assertThat(virtualHost(envoy, http("api.example.org", 80))).isEqualTo("prefix");
    assertThat(virtualHost(envoy, http("web.example.org", 8443))).isEqualTo("any-port");
    assertThat(virtualHost(envoy, http("web.example.org", 80))).isEqualTo("star");
    assertThat(virtualHost(envoy, http("example.com", 80))).isEqualTo("star");
  }

  @Test
  void theHostPortIsPartOfTheMatch_unlessStripped() {
    assertThat(virtualHost(simulator(UnaryOperator.identity()), http("api.example.com", 9090)))
        .isEqualTo("prefix");
    assertThat(virtualHost(simulator(UnaryOperator.identity()), http("x.example.com", 9090)))
        .isEqualTo("star");
    assertThat(
            virtualHost(simulator(m -> m.setStripAnyHostPort(true)), http("api.example.com", 9090)))
        .isEqualTo("exact");
    assertThat(
            virtualHost(
                simulator(m -> m.setStripMatchingHostPort(true)), http("api.example.com", 9090)))
        .isEqualTo("exact");
    assertThat(
            virtualHost(
                simulator(m -> m.setStripMatchingHostPort(true)),
                http("api.example.com", 9090).withHost("api.example.com:1")))
        .isEqualTo("prefix");
    assertThat(
            virtualHost(
                simulator(
                    m ->
                        m.setRouteConfig(
                            m.getRouteConfig().toBuilder().setIgnorePortInHostMatching(true))),
                http("api.example.com", 9090)))
        .isEqualTo("exact");
  }

  @Test
  void noVirtualHost_is404() {
    EnvoySimulator envoy =
        simulator(
            m ->
                m.setRouteConfig(
                    RouteConfiguration.newBuilder().setName("r").addVirtualHosts(HOSTS.get(0))));

    Decision decision = envoy.simulate(http("other.org", 80));

    assertThat(decision.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
    assertThat(decision.httpStatus()).hasValue(404);
  }

  @Test
  void http10WithoutHost_is400_unlessADefaultHostIsConfigured() {
    Connection noHost =
        new Connection(
            http10("api.example.com", 80).destination(),
            80,
            new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_0, java.util.Optional.empty()),
            java.util.Optional.empty());

    // A real Envoy 1.40 answers 400 missing_host_header here (EnvoyHttpBehaviourTest); the
    // simulator used to route "" to "*".
    Decision withoutDefault =
        simulator(
                m ->
                    m.setHttpProtocolOptions(
                        Http1ProtocolOptions.newBuilder().setAcceptHttp10(true)))
            .simulate(noHost);
    assertThat(withoutDefault.httpStatus()).hasValue(400);
    assertThat(
            virtualHost(
                simulator(
                    m ->
                        m.setHttpProtocolOptions(
                            Http1ProtocolOptions.newBuilder()
                                .setAcceptHttp10(true)
                                .setDefaultHostForHttp10("api.example.com"))),
                noHost))
        .isEqualTo("exact");
  }

  @Test
  void http10_is426_unlessAccepted() {
    assertThat(
            simulator(UnaryOperator.identity())
                .simulate(http10("api.example.com", 80))
                .httpStatus())
        .hasValue(426);
    assertThat(
            simulator(
                    m ->
                        m.setHttpProtocolOptions(
                            Http1ProtocolOptions.newBuilder().setAcceptHttp10(true)))
                .simulate(http10("api.example.com", 80))
                .isAllowed())
        .isTrue();
  }

  @Test
  void codecs_andBytesThatAreNotHttp() {
    assertThat(simulator(UnaryOperator.identity()).simulate(h2c("api.example.com", 80)).isAllowed())
        .isTrue();
    assertThat(
            simulator(m -> m.setCodecType(CodecType.HTTP1))
                .simulate(h2c("api.example.com", 80))
                .outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(
            simulator(m -> m.setCodecType(CodecType.HTTP2))
                .simulate(http("api.example.com", 80))
                .outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(simulator(UnaryOperator.identity()).simulate(tls("api.example.com", 80)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(simulator(UnaryOperator.identity()).simulate(tcp("10.0.0.1", 80)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
  }

  @Test
  void aRouteToAMissingCluster_is503() {
    Decision decision =
        simulator(UnaryOperator.identity(), List.of()).simulate(http("api.example.com", 80));

    assertThat(decision.outcome()).isEqualTo(Outcome.MISSING_CLUSTER);
    assertThat(decision.httpStatus()).hasValue(503);
    assertThat(decision.cluster()).contains("exact");
  }

  @Test
  void withoutARouter_theRequestIsNeverAnswered() {
    assertThat(
            simulator(HttpConnectionManager.Builder::clearHttpFilters)
                .simulate(http("api.example.com", 80))
                .outcome())
        .isEqualTo(Outcome.STALLED);
  }

  @Test
  void aServerFirstClientOnAnHttpChain_withTheInspectorsOff_stallsInTheConnectionManager() {
    EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(
                Listeners.outbound(chain(UnaryOperator.identity())).toBuilder()
                    .clearListenerFilters()
                    .build()),
            List.of());

    assertThat(envoy.simulate(mysql("10.0.0.1", 80)).reason())
        .contains("waits for a request a server-first client never sends");
  }

  private static String virtualHost(EnvoySimulator envoy, Connection connection) {
    Decision decision = envoy.simulate(connection);
    return decision.virtualHost().orElseThrow(() -> new AssertionError(decision.traceText()));
  }

  private static EnvoySimulator simulator(UnaryOperator<HttpConnectionManager.Builder> change) {
    return simulator(
        change,
        Listeners.originalDst("exact", "suffix", "longer-suffix", "prefix", "any-port", "star"));
  }

  private static EnvoySimulator simulator(
      UnaryOperator<HttpConnectionManager.Builder> change,
      List<io.envoyproxy.envoy.config.cluster.v3.Cluster> clusters) {
    return EnvoySimulator.of(List.of(Listeners.outbound(chain(change))), clusters);
  }

  private static FilterChain chain(UnaryOperator<HttpConnectionManager.Builder> change) {
    HttpConnectionManager.Builder manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("http")
            .setRouteConfig(
                RouteConfiguration.newBuilder().setName("http").addAllVirtualHosts(HOSTS))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return FilterChain.newBuilder()
        .setName("http")
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(change.apply(manager).build())))
        .build();
  }

  private static VirtualHost host(String name, String... domains) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(List.of(domains))
        .addRoutes(
            Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(name)))
        .build();
  }
}
