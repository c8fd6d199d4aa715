package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.Listeners.chain;
import static dev.meshpassthrough.testkit.Listeners.originalDst;
import static dev.meshpassthrough.testkit.Listeners.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The worked examples of §1.4 of the Envoy semantics, on hand-built listeners. */
class WorkedExamplesTest {

  /** A: a domain over TLS and a CIDR over TCP on one port. */
  @Nested
  class A_TheBasicShape {
    private final EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(
                outbound(
                    chain("FC1", 443, null, "api.example.com", "tls"),
                    chain("FC2", 443, "10.0.0.0/8", null, "raw_buffer"))),
            originalDst("FC1", "FC2"));

    @Test
    void tlsForTheDomain_landsOnTheDomainChain() {
      Decision decision = envoy.simulate(tls("api.example.com", 443).dialing("93.184.216.34"));

      assertThat(decision.outcome()).isEqualTo(Outcome.PASSTHROUGH);
      assertThat(decision.chain()).contains("FC1");
      assertThat(decision.cluster()).contains("FC1");
      assertThat(decision.clusterType()).contains("ORIGINAL_DST");
    }

    @Test
    void plainTcpIntoTheCidr_landsOnTheCidrChain() {
      assertThat(envoy.simulate(tcp("10.1.2.3", 443)).chain()).contains("FC2");
    }

    @Test
    void tlsForAnotherName_isClosed() {
      Decision decision = envoy.simulate(tls("other.org", 443).dialing("93.184.216.34"));

      assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
      assertThat(decision.reason())
          .contains("server name other.org: no match among server names [api.example.com]");
    }
  }

  /** B: the "port → IP → SNI" pitfall. */
  @Nested
  class B_PortIpSniPitfall {
    @Test
    void tlsForTheDomain_atAnAddressInTheCidr_isClosed_theDomainChainIsNeverConsidered() {
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(
                  outbound(
                      chain("FC1", 443, null, "api.example.com", "tls"),
                      chain("FC2", 443, "10.0.0.0/8", null, "raw_buffer"))),
              originalDst("FC1", "FC2"));

      Decision decision = envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3"));

      assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
      assertThat(decision.traceText())
          .contains(
              "destination IP 10.1.2.3: longest matching prefix 10.0.0.0/8 (FC2); less specific, never considered: catch-all (FC1)")
          .contains("transport protocol tls: no match among transport protocols [raw_buffer]");
    }

    @Test
    void withTheCidrRuleOverTls_theCidrChainTakesIt() {
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(
                  outbound(
                      chain("FC1", 443, null, "api.example.com", "tls"),
                      chain("FC2", 443, "10.0.0.0/8", null, "tls"))),
              originalDst("FC1", "FC2"));

      assertThat(envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3")).chain())
          .contains("FC2");
    }

    @Test
    void withoutTransportOnTheCidrChain_theCidrChainTakesIt() {
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(
                  outbound(
                      chain("FC1", 443, null, "api.example.com", "tls"),
                      chain("FC2", 443, "10.0.0.0/8", null, null))),
              originalDst("FC1", "FC2"));

      assertThat(envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3")).chain())
          .contains("FC2");
    }
  }

  /** C: a specific port hides the rules that have no port. */
  @Nested
  class C_SpecificPortHidesPortlessRules {
    private final EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(
                outbound(
                    chain("FCa", 0, "10.0.0.0/8", null, "raw_buffer"),
                    chain("FCb", 80, null, null, "raw_buffer", "http/1.1", "h2c"))),
            originalDst("FCa", "FCb"));

    @Test
    void nonHttpTcpToTheCidrOnPort80_isClosed() {
      Decision decision = envoy.simulate(tcp("10.1.2.3", 80));

      assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
      assertThat(decision.traceText()).contains("destination port 80: the port-80 branch (FCb)");
    }

    @Test
    void onAPortNoChainNames_thePortlessChainTakesIt() {
      Decision decision = envoy.simulate(tcp("10.1.2.3", 8080));

      assertThat(decision.chain()).contains("FCa");
      assertThat(decision.traceText())
          .contains("destination port 8080: no port-8080 branch, the any-port branch (FCa)");
    }
  }

  /** D: HTTP/1.0 and ALPN [http/1.1, h2c]. */
  @Nested
  class D_Http10 {
    @Test
    void http10_fallsToTheSiblingWithoutAlpn() {
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(
                  outbound(
                      chain("http", 80, null, null, "raw_buffer", "http/1.1", "h2c"),
                      chain("tcp", 80, null, null, "raw_buffer"))),
              originalDst("http", "tcp"));

      assertThat(envoy.simulate(http10("example.com", 80)).chain()).contains("tcp");
      assertThat(envoy.simulate(http("example.com", 80)).chain()).contains("http");
    }

    @Test
    void http10_withoutASibling_isClosed() {
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(outbound(chain("http", 80, null, null, "raw_buffer", "http/1.1", "h2c"))),
              originalDst("http"));

      Decision decision = envoy.simulate(http10("example.com", 80));

      assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
      assertThat(decision.reason())
          .contains(
              "application protocols http/1.0: no match among application protocols [http/1.1, h2c]");
    }
  }

  /** E: an exact ALPN beats "any ALPN" under one IP node. */
  @Nested
  class E_AlpnBeatsAnyAlpn {
    @Test
    void httpToTheCidr_takesTheHttpChain_andGetsIts503() {
      FilterChain httpChain =
          chain("http", 80, "10.0.0.0/8", null, "raw_buffer", "http/1.1", "h2c").toBuilder()
              .clearFilters()
              .addFilters(noMatch503())
              .build();
      EnvoySimulator envoy =
          EnvoySimulator.of(
              List.of(outbound(httpChain, chain("tcp", 80, "10.0.0.0/8", null, "raw_buffer"))),
              originalDst("tcp"));

      Decision decision = envoy.simulate(http("example.com", 80).dialing("10.1.2.3"));

      assertThat(decision.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
      assertThat(decision.httpStatus()).hasValue(503);
      assertThat(decision.chain()).contains("http");
      assertThat(envoy.simulate(tcp("10.1.2.3", 80)).chain()).contains("tcp");
    }
  }

  static Filter noMatch503() {
    Route direct =
        Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setDirectResponse(
                DirectResponseAction.newBuilder()
                    .setStatus(503)
                    .setBody(DataSource.newBuilder().setInlineString("no match\n")))
            .build();
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("http")
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName("http")
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName("no_match")
                            .addDomains("*")
                            .addRoutes(direct)))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Filter.newBuilder()
        .setName("envoy.filters.network.http_connection_manager")
        .setTypedConfig(Any.pack(manager))
        .build();
  }
}
