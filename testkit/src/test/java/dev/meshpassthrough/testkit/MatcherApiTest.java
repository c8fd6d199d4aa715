package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.Matchers.chain;
import static dev.meshpassthrough.testkit.Matchers.domains;
import static dev.meshpassthrough.testkit.Matchers.entry;
import static dev.meshpassthrough.testkit.Matchers.exact;
import static dev.meshpassthrough.testkit.Matchers.exactMap;
import static dev.meshpassthrough.testkit.Matchers.exclusiveRange;
import static dev.meshpassthrough.testkit.Matchers.ipTree;
import static dev.meshpassthrough.testkit.Matchers.list;
import static dev.meshpassthrough.testkit.Matchers.nested;
import static dev.meshpassthrough.testkit.Matchers.port;
import static dev.meshpassthrough.testkit.Matchers.prefixMap;
import static dev.meshpassthrough.testkit.Matchers.range;
import static dev.meshpassthrough.testkit.Matchers.sniTree;
import static dev.meshpassthrough.testkit.Matchers.transport;
import static dev.meshpassthrough.testkit.Matchers.withOnNoMatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.xds.type.matcher.v3.IPMatcher;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.ServerNameMatcher;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Matcher API ({@code filter_chain_matcher}), on the semantics' §2.5 example and on hand-built
 * matchers.
 */
class MatcherApiTest {

  /**
   * §2.5's small example: every allowed connection reaches its chain, also where legacy matching
   * drops it.
   */
  @Nested
  class SpecExample {
    private final EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(specListener()),
            Listeners.originalDst(
                "mp_tls_api.example.com_443",
                "mp_tls_wild.example.org_443",
                "mp_tcp_10.0.0.0_8_443",
                "mp_http_httpbin.dev_80",
                "mp_tcp_10.240.15.39_any"));

    @Test
    void tlsDomains_exactAndWildcard() {
      assertThat(envoy.simulate(tls("api.example.com", 443).dialing("93.184.216.34")).chain())
          .contains("tls_api.example.com_443");
      assertThat(envoy.simulate(tls("a.b.example.org", 443)).chain())
          .contains("tls_wild.example.org_443");
      assertThat(envoy.simulate(tls("example.org", 443)).outcome())
          .isEqualTo(Outcome.NO_FILTER_CHAIN);
      assertThat(envoy.simulate(tls("other.org", 443)).outcome())
          .isEqualTo(Outcome.NO_FILTER_CHAIN);
    }

    @Test
    void thePitfallOfLegacyMatching_isGone_theCidrRuleTakesTlsForTheDomain() {
      Decision decision = envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3"));

      assertThat(decision.outcome()).isEqualTo(Outcome.PASSTHROUGH);
      assertThat(decision.chain()).contains("tcp_10.0.0.0_8_443");
    }

    @Test
    void thePortlessIpRule_isRepeatedIntoEveryPort_andTakesUnlistedPorts() {
      assertThat(envoy.simulate(tcp("10.240.15.39", 443)).chain()).contains("tcp_10.240.15.39_any");
      assertThat(envoy.simulate(tcp("10.240.15.39", 80)).chain()).contains("tcp_10.240.15.39_any");
      Decision unlisted = envoy.simulate(tcp("10.240.15.39", 5432));
      assertThat(unlisted.chain()).contains("tcp_10.240.15.39_any");
      assertThat(unlisted.traceText())
          .contains("exact_match_map on DestinationPortInput '5432': no such key among [443, 80]");
      assertThat(envoy.simulate(tcp("10.1.2.3", 80)).outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
    }

    @Test
    void http_routesByHost_andAnswersOthersWith503() {
      Decision allowed = envoy.simulate(http("httpbin.dev", 80));
      assertThat(allowed.chain()).contains("http_80");
      assertThat(allowed.virtualHost()).contains("httpbin.dev");
      assertThat(allowed.cluster()).contains("mp_http_httpbin.dev_80");

      Decision other = envoy.simulate(http("evil.com", 80));
      assertThat(other.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
      assertThat(other.httpStatus()).hasValue(503);
      assertThat(other.virtualHost()).contains("no_match");
    }

    @Test
    void http10_reachesTheHttpChain_butTheConnectionManagerWantsAcceptHttp10() {
      Decision decision = envoy.simulate(http10("httpbin.dev", 80));

      assertThat(decision.chain()).contains("http_80");
      assertThat(decision.httpStatus()).hasValue(426);
    }
  }

  @Test
  void matcherList_aNestedMatcherThatFindsNothing_letsTheNextEntryTry() {
    Matcher nestedMiss = list(entry(exact(transport(), "tls"), chain("tls")));
    Matcher top =
        list(
            entry(exact(port(), "443"), nested(nestedMiss)),
            entry(exact(port(), "443"), chain("second")));

    Decision decision = simulate(top, tcp("10.0.0.1", 443), "tls", "second");

    assertThat(decision.chain()).contains("second");
    assertThat(decision.traceText())
        .contains("matcher_list entry 0: its on_match found nothing, the next entry tries");
  }

  @Test
  void exactMatchMap_aKeyWhoseMatcherMisses_fallsBackToTheMapsOnNoMatch() {
    Matcher nestedMiss = list(entry(exact(transport(), "tls"), chain("tls")));
    Matcher top =
        withOnNoMatch(exactMap(port(), Map.of("443", nested(nestedMiss))), chain("fallback"));

    assertThat(simulate(top, tcp("10.0.0.1", 443), "tls", "fallback").chain()).contains("fallback");
  }

  @Test
  void prefixMatchMap_triesTheLongestPrefixFirst_thenShorterOnes() {
    Matcher nestedMiss = list(entry(exact(transport(), "tls"), chain("tls")));
    Matcher top =
        prefixMap(Matchers.ip(), Map.of("10.1.", nested(nestedMiss), "10.", chain("ten")));

    assertThat(simulate(top, tcp("10.1.2.3", 443), "tls", "ten").chain()).contains("ten");
  }

  @Test
  void ipMatcher_triesTheMostSpecificRange_thenNonExclusiveWiderOnes() {
    Matcher nestedMiss = list(entry(exact(transport(), "tls"), chain("tls")));
    IPMatcher.IPRangeMatcher narrow = range("10.1.0.0/16", nested(nestedMiss));

    Matcher inclusive = ipTree(range("10.0.0.0/8", chain("wide")), narrow);
    Matcher exclusive =
        withOnNoMatch(ipTree(exclusiveRange("10.0.0.0/8", chain("wide")), narrow), chain("none"));

    assertThat(simulate(inclusive, tcp("10.1.2.3", 443), "tls", "wide").chain()).contains("wide");
    Decision skipped = simulate(exclusive, tcp("10.1.2.3", 443), "tls", "wide", "none");
    assertThat(skipped.chain()).contains("none");
    assertThat(skipped.traceText()).contains("range matcher 0 (/8) is exclusive, skipped");
  }

  @Test
  void serverNameMatcher_exactThenLongestWildcardThenStar() {
    ServerNameMatcher.DomainMatcher star = domains(chain("star"), "*");
    Matcher top =
        sniTree(
            domains(chain("wide"), "*.example.com"),
            domains(chain("narrow"), "*.b.example.com"),
            domains(chain("exact"), "a.b.example.com"),
            star);

    assertThat(
            simulate(top, tls("a.b.example.com", 443), "wide", "narrow", "exact", "star").chain())
        .contains("exact");
    assertThat(
            simulate(top, tls("x.b.example.com", 443), "wide", "narrow", "exact", "star").chain())
        .contains("narrow");
    assertThat(simulate(top, tls("x.example.com", 443), "wide", "narrow", "exact", "star").chain())
        .contains("wide");
    assertThat(simulate(top, tls("example.com", 443), "wide", "narrow", "exact", "star").chain())
        .contains("star");
  }

  @Test
  void anActionNamingAMissingChain_closesTheConnection() {
    Decision decision =
        simulate(list(entry(exact(port(), "443"), chain("ghost"))), tcp("10.0.0.1", 443), "real");

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(decision.reason())
        .isEqualTo("closed: the matcher's action names chain ghost, which does not exist");
  }

  @Test
  void noMatch_usesTheDefaultChain() {
    Listener listener =
        listener(list(entry(exact(port(), "443"), chain("real"))), "real").toBuilder()
            .setDefaultFilterChain(
                FilterChain.newBuilder()
                    .setName("fallback")
                    .addFilters(Listeners.tcpProxy("fallback")))
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), Listeners.originalDst("real", "fallback"))
            .simulate(tcp("10.0.0.1", 80));

    assertThat(decision.chain()).contains("fallback");
    assertThat(decision.isAllowed()).isTrue();
  }

  @Test
  void unnamedChains_makeEnvoyRejectAMatcherListener() {
    Listener listener =
        listener(list(entry(exact(port(), "443"), chain("real"))), "real").toBuilder()
            .addFilterChains(FilterChain.newBuilder().addFilters(Listeners.tcpProxy("x")))
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), List.of()).simulate(tcp("10.0.0.1", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.LISTENER_REJECTED);
    assertThat(decision.reason())
        .contains("\"name\" field is required when using a listener matcher");
  }

  private static Decision simulate(Matcher matcher, Connection connection, String... chains) {
    return EnvoySimulator.of(List.of(listener(matcher, chains)), Listeners.originalDst(chains))
        .simulate(connection);
  }

  private static Listener listener(Matcher matcher, String... chains) {
    Listener.Builder builder = Listeners.outbound().toBuilder().setFilterChainMatcher(matcher);
    for (String name : chains) {
      builder.addFilterChains(
          FilterChain.newBuilder().setName(name).addFilters(Listeners.tcpProxy(name)));
    }
    return builder.build();
  }

  static Listener specListener() {
    JsonFormat.TypeRegistry registry =
        JsonFormat.TypeRegistry.newBuilder()
            .add(
                List.of(
                    OriginalDst.getDescriptor(),
                    TlsInspector.getDescriptor(),
                    HttpInspector.getDescriptor(),
                    TcpProxy.getDescriptor(),
                    HttpConnectionManager.getDescriptor(),
                    Router.getDescriptor(),
                    DestinationPortInput.getDescriptor(),
                    DestinationIPInput.getDescriptor(),
                    ServerNameInput.getDescriptor(),
                    TransportProtocolInput.getDescriptor(),
                    ApplicationProtocolInput.getDescriptor(),
                    Ip.getDescriptor(),
                    StringValue.getDescriptor()))
            .build();
    try (InputStream in =
        MatcherApiTest.class.getResourceAsStream("/matcher/spec-example-listener.yaml")) {
      String json =
          new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(in));
      Listener.Builder listener = Listener.newBuilder();
      JsonFormat.parser().usingTypeRegistry(registry).merge(json, listener);
      return listener.build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
