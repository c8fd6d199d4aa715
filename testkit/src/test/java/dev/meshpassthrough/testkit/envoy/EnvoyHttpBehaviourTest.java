package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.load;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a real Envoy 1.40's HTTP connection manager does with a request (virtual host selection,
 * the Host's port, a missing Host, HTTP/1.0, h2c), each checked against the simulator too. Every
 * virtual host answers with its own status, so the status names the virtual host.
 */
class EnvoyHttpBehaviourTest {
  private static BehaviourFixtures.Judge envoy;

  @BeforeAll
  static void load() {
    envoy = BehaviourFixtures.load(outbound(originalDst())
        .addFilterChains(httpChain("http-80", 80, false))
        .addFilterChains(httpChain("http10-8000", 8000, true))
        .addFilterChains(FilterChain.newBuilder().setName("no-star-9000").setFilterChainMatch(port(9000))
            .addFilters(hcm(RouteConfiguration.newBuilder().setName("known-only").addVirtualHosts(answering("known", 201, "known.test"))
                .build(), false))));
  }

  @Test
  void virtualHosts_exact_thenLongestSuffixWildcard_thenLongestPrefixWildcard_thenStar() {
    assertThat(status("api.example.com")).isEqualTo(201);
    assertThat(status("www.example.com")).as("*.example.com is longer than *le.com").isEqualTo(202);
    assertThat(status("www.simple.com")).isEqualTo(203);
    assertThat(status("api.other.org")).isEqualTo(205);
    assertThat(status("api.foo.example.com")).as("a suffix wildcard before a prefix wildcard").isEqualTo(202);
    assertThat(status("other.org")).isEqualTo(206);
  }

  @Test
  void virtualHosts_areMatchedWithoutRegardToCase() {
    assertThat(status("API.Example.COM")).isEqualTo(201);
  }

  @Test
  void theHostsPort_isPartOfTheMatch_unlessADomainEndsInColonStar() {
    assertThat(status("port.test")).isEqualTo(207);
    assertThat(status("port.test:8080")).as("a Host with a port does not match the bare domain").isEqualTo(206);
    assertThat(status("wild.test:9090")).isEqualTo(208);
    assertThat(status("wild.test")).as("host:* needs a port").isEqualTo(206);
  }

  @Test
  void aRequestWithoutHost_isAnswered400() {
    Connection noHost = new Connection(InetAddress.getLoopbackAddress(), 80,
        new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_1, Optional.empty()), Optional.empty()).dialing("192.0.2.1");

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
    assertThat(envoy.decide(Connection.http10("api.example.com", 8000).withHost("api.example.com")).httpStatus())
        .isEqualTo(OptionalInt.of(201));
  }

  @Test
  void h2cPriorKnowledge_isReadByTheAutoCodec() {
    assertThat(envoy.decide(Connection.h2c("api.example.com", 80)).httpStatus()).isEqualTo(OptionalInt.of(201));
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

  private static FilterChain httpChain(String name, int port, boolean acceptHttp10) {
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName("routes")
        .addVirtualHosts(answering("exact", 201, "api.example.com"))
        .addVirtualHosts(answering("suffix", 202, "*.example.com"))
        .addVirtualHosts(answering("short-suffix", 203, "*le.com"))
        .addVirtualHosts(answering("prefix", 205, "api.*"))
        .addVirtualHosts(answering("star", 206, "*"))
        .addVirtualHosts(answering("port", 207, "port.test"))
        .addVirtualHosts(answering("any-port", 208, "wild.test:*"))
        .addVirtualHosts(VirtualHost.newBuilder().setName("forward").addDomains("forward.test")
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(BehaviourFixtures.CLUSTER))))
        .build();
    return FilterChain.newBuilder().setName(name).setFilterChainMatch(port(port)).addFilters(hcm(routes, acceptHttp10)).build();
  }

  private static Filter hcm(RouteConfiguration routes, boolean acceptHttp10) {
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder().setStatPrefix("h").setRouteConfig(routes)
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router").setTypedConfig(Any.pack(Router.getDefaultInstance())));
    if (acceptHttp10) {
      hcm.setHttpProtocolOptions(Http1ProtocolOptions.newBuilder().setAcceptHttp10(true));
    }
    return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm.build())).build();
  }

  private static VirtualHost answering(String name, int status, String domain) {
    return VirtualHost.newBuilder().setName(name).addDomains(domain)
        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(status)))
        .build();
  }
}
