package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDst;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.outbound;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a real Envoy 1.40's HTTP connection manager does with a request (virtual host selection, the
 * Host's port, a missing Host, HTTP/1.0, h2c), each checked against the simulator too. Every
 * virtual host answers with its own status, so the status names the virtual host.
 */
class EnvoyHttpBehaviourTest {
  private static BehaviourFixtures.Judge envoy;

  @BeforeAll
  static void load() {
    envoy =
        BehaviourFixtures.load(
            outbound(originalDst())
                .addFilterChains(httpChain("http-80", 80, routes(), hcm -> hcm))
                .addFilterChains(
                    httpChain(
                        "http10-8000",
                        8000,
                        routes(),
                        hcm ->
                            hcm.setHttpProtocolOptions(
                                Http1ProtocolOptions.newBuilder().setAcceptHttp10(true))))
                .addFilterChains(
                    httpChain(
                        "http10-default-host-8001",
                        8001,
                        routes(),
                        hcm ->
                            hcm.setHttpProtocolOptions(
                                Http1ProtocolOptions.newBuilder()
                                    .setAcceptHttp10(true)
                                    .setDefaultHostForHttp10("api.example.com"))))
                .addFilterChains(
                    httpChain(
                        "strip-matching-8080",
                        8080,
                        routes(),
                        hcm -> hcm.setStripMatchingHostPort(true)))
                .addFilterChains(
                    httpChain(
                        "ignore-port-8081",
                        8081,
                        routes().toBuilder().setIgnorePortInHostMatching(true).build(),
                        hcm -> hcm))
                .addFilterChains(
                    httpChain(
                        "strip-any-8082", 8082, routes(), hcm -> hcm.setStripAnyHostPort(true)))
                .addFilterChains(
                    httpChain(
                        "http1-codec-8090",
                        8090,
                        routes(),
                        hcm -> hcm.setCodecType(HttpConnectionManager.CodecType.HTTP1)))
                .addFilterChains(
                    httpChain(
                        "http2-codec-8091",
                        8091,
                        routes(),
                        hcm -> hcm.setCodecType(HttpConnectionManager.CodecType.HTTP2)))
                .addFilterChains(
                    httpChain("no-router-8092", 8092, routes(), hcm -> hcm.clearHttpFilters()))
                .addFilterChains(
                    httpChain(
                        "no-star-9000",
                        9000,
                        RouteConfiguration.newBuilder()
                            .setName("known-only")
                            .addVirtualHosts(answering("known", 201, "known.test"))
                            .build(),
                        hcm -> hcm)));
  }

  @Test
  void virtualHosts_exact_thenLongestSuffixWildcard_thenLongestPrefixWildcard_thenStar() {
    assertThat(status("api.example.com")).isEqualTo(201);
    assertThat(status("www.example.com")).as("*.example.com is longer than *le.com").isEqualTo(202);
    assertThat(status("www.simple.com")).isEqualTo(203);
    assertThat(status("api.other.org")).isEqualTo(205);
    assertThat(status("api.foo.example.com"))
        .as("a suffix wildcard before a prefix wildcard")
        .isEqualTo(202);
    assertThat(status("other.org")).isEqualTo(206);
  }

  @Test
  void virtualHosts_areMatchedWithoutRegardToCase() {
    assertThat(status("API.Example.COM")).isEqualTo(201);
  }

  @Test
  void theHostsPort_isPartOfTheMatch_unlessADomainEndsInColonStar() {
    assertThat(status("port.test")).isEqualTo(207);
    assertThat(status("port.test:8080"))
        .as("a Host with a port does not match the bare domain")
        .isEqualTo(206);
    assertThat(status("wild.test:9090")).isEqualTo(208);
    assertThat(status("wild.test")).as("host:* needs a port").isEqualTo(206);
  }

  @Test
  void aRequestWithoutHost_isAnswered400() {
    Connection noHost =
        new Connection(
                InetAddress.getLoopbackAddress(),
                80,
                new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_1, Optional.empty()),
                Optional.empty())
            .dialing("192.0.2.1");

    Decision decision = envoy.decide(noHost);

    assertThat(decision.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
    assertThat(decision.httpStatus()).isEqualTo(OptionalInt.of(400));
    assertThat(decision.reason()).contains("missing_host_header");
  }

  @Test
  void http10_isRefusedWith426_unlessAcceptHttp10IsSet() {
    Decision refused = envoy.decide(Connection.http10("api.example.com", 80));
    assertThat(refused.httpStatus()).isEqualTo(OptionalInt.of(426));
    assertThat(refused.reason()).contains("low_version");
    assertThat(
            envoy
                .decide(Connection.http10("api.example.com", 8000).withHost("api.example.com"))
                .httpStatus())
        .isEqualTo(OptionalInt.of(201));
  }

  @Test
  void http10WithoutHost_takesDefaultHostForHttp10_andWithoutOneIsAnswered400() {
    assertThat(envoy.decide(http10WithoutHost(8001)).httpStatus()).isEqualTo(OptionalInt.of(201));
    Decision withoutDefault = envoy.decide(http10WithoutHost(8000));
    assertThat(withoutDefault.httpStatus()).isEqualTo(OptionalInt.of(400));
    assertThat(withoutDefault.reason()).contains("missing_host_header");
    assertThat(envoy.decide(http10WithoutHost(80)).httpStatus())
        .as("refused as HTTP/1.0 first")
        .isEqualTo(OptionalInt.of(426));
  }

  @Test
  void stripMatchingHostPort_dropsThePortOnlyWhenItIsTheDialedOne() {
    assertThat(statusOn(8080, "port.test:8080")).isEqualTo(207);
    assertThat(statusOn(8080, "port.test:9999")).isEqualTo(206);
  }

  @Test
  void stripAnyHostPort_dropsAnyPort() {
    assertThat(statusOn(8082, "port.test:9999")).isEqualTo(207);
  }

  @Test
  void ignorePortInHostMatching_matchesTheHostWithoutItsPort() {
    assertThat(statusOn(8081, "port.test:1234")).isEqualTo(207);
  }

  private static Connection http10WithoutHost(int port) {
    return new Connection(
            InetAddress.getLoopbackAddress(),
            port,
            new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_0, Optional.empty()),
            Optional.empty())
        .dialing("192.0.2.1");
  }

  private static int statusOn(int port, String host) {
    Decision decision = envoy.decide(Connection.http("api.example.com", port).withHost(host));
    assertThat(decision.outcome()).as("%s: %s", host, decision).isEqualTo(Outcome.HTTP_RESPONSE);
    return decision.httpStatus().orElseThrow();
  }

  @Test
  void bytesThatAreNotHttp_areAProtocolError() {
    assertThat(envoy.decide(Connection.tls("api.example.com", 80)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 80)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
  }

  @Test
  void aServerFirstClient_isNeverAnsweredByTheConnectionManager() {
    assertThat(envoy.decide(Connection.mysql("192.0.2.1", 80)).outcome())
        .isEqualTo(Outcome.STALLED);
  }

  @Test
  void aFixedCodec_refusesTheOtherHttpVersion() {
    assertThat(envoy.decide(Connection.h2c("api.example.com", 8090)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(envoy.decide(Connection.http("api.example.com", 8091)).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(
            envoy
                .decide(Connection.http("api.example.com", 8090).withHost("api.example.com"))
                .httpStatus())
        .isEqualTo(OptionalInt.of(201));
    assertThat(
            envoy
                .decide(Connection.h2c("api.example.com", 8091).withHost("api.example.com"))
                .httpStatus())
        .isEqualTo(OptionalInt.of(201));
  }

  @Test
  void aConnectionManagerWithoutHttpFilters_neverAnswers() {
    assertThat(envoy.decide(Connection.http("api.example.com", 8092)).outcome())
        .isEqualTo(Outcome.STALLED);
  }

  @Test
  void h2cPriorKnowledge_isReadByTheAutoCodec() {
    assertThat(envoy.decide(Connection.h2c("api.example.com", 80)).httpStatus())
        .isEqualTo(OptionalInt.of(201));
  }

  @Test
  void aRequestNoVirtualHostMatches_isAnswered404() {
    Decision decision = envoy.decide(Connection.http("unknown.test", 9000));

    assertThat(decision.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
    assertThat(decision.httpStatus()).isEqualTo(OptionalInt.of(404));
  }

  @Test
  void aRouteToACluster_forwardsTheRequest() {
    Decision decision = envoy.decide(Connection.http("forward.test", 80));

    assertThat(decision.outcome()).isEqualTo(Outcome.PASSTHROUGH);
    assertThat(decision.cluster()).contains(BehaviourFixtures.CLUSTER);
  }

  private static int status(String host) {
    Decision decision = envoy.decide(Connection.http("api.example.com", 80).withHost(host));
    assertThat(decision.outcome()).as("%s: %s", host, decision).isEqualTo(Outcome.HTTP_RESPONSE);
    return decision.httpStatus().orElseThrow();
  }

  private static RouteConfiguration routes() {
    return RouteConfiguration.newBuilder()
        .setName("routes")
        .addVirtualHosts(answering("exact", 201, "api.example.com"))
        .addVirtualHosts(answering("suffix", 202, "*.example.com"))
        .addVirtualHosts(answering("short-suffix", 203, "*le.com"))
        .addVirtualHosts(answering("prefix", 205, "api.*"))
        .addVirtualHosts(answering("star", 206, "*"))
        .addVirtualHosts(answering("port", 207, "port.test"))
        .addVirtualHosts(answering("any-port", 208, "wild.test:*"))
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("forward")
                .addDomains("forward.test")
                .addRoutes(
                    Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(BehaviourFixtures.CLUSTER))))
        .build();
  }

  private static FilterChain httpChain(
      String name,
      int port,
      RouteConfiguration routes,
      UnaryOperator<HttpConnectionManager.Builder> options) {
    HttpConnectionManager hcm =
        options
            .apply(
                HttpConnectionManager.newBuilder()
                    .setStatPrefix("h")
                    .setRouteConfig(routes)
                    .addHttpFilters(
                        HttpFilter.newBuilder()
                            .setName("envoy.filters.http.router")
                            .setTypedConfig(Any.pack(Router.getDefaultInstance()))))
            .build();
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(port(port))
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm)))
        .build();
  }

  private static VirtualHost answering(String name, int status, String domain) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addDomains(domain)
        .addRoutes(
            Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setDirectResponse(DirectResponseAction.newBuilder().setStatus(status)))
        .build();
  }
}
