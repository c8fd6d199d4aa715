package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.h2c;
import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plaintext HTTP without a Host (HTTP/1.1 without {@code Host}, h2c without {@code :authority}),
 * issue 12 §3b.1 and §3b.3, in both encodings of the exact profile. Envoy 1.40 answers such a
 * request 400 ({@code missing_host_header}) in its HTTP connection manager, and resets an h2c one
 * ({@code DPE}, {@code http2.violation.of.messaging.rule}); the exact profile never lets that break
 * what a {@code tcp} rule or an HTTP IP rule allows.
 */
class HostlessRequestsTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  private static PolicySimulation simulate(Encoding encoding, Match... matches) {
    PolicySimulation simulation =
        PolicySimulation.translate(
            PassthroughConf.of(PassthroughMode.MATCHED, List.of(matches)),
            TranslatorOptions.defaults().withEncoding(encoding),
            PROXY);
    assertThat(EnvoyAcceptance.check(simulation.resources())).isEmpty();
    return simulation;
  }

  private static Match portless(MatchType type, String value, Protocol protocol) {
    return Match.onEveryPort(Destination.of(type, value), protocol);
  }

  private static Match on(MatchType type, String value, int port, Protocol protocol) {
    return Match.of(Destination.of(type, value), port, protocol);
  }

  private static void assertAgrees(PolicySimulation simulation, Connection connection) {
    Explanation explanation = simulation.explain(connection);
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aTcpRule_winsOverANarrowerHttpRule_forRequestsWithoutHost(Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            portless(MatchType.CIDR, "10.0.0.0/8", Protocol.TCP),
            portless(MatchType.CIDR, "10.1.0.0/16", Protocol.HTTP));
    for (Connection connection :
        List.of(
            http("10.1.2.3", 80).withoutHost(),
            h2c("10.1.2.3", 80).withoutHost(),
            http("10.1.2.3", 80),
            h2c("10.1.2.3", 80),
            http("api.example.com", 80).dialing("10.1.2.3"))) {
      Decision decision = simulation.simulate(connection);
      assertThat(decision.outcome())
          .as("%s%n%s", connection, decision.traceText())
          .isEqualTo(Outcome.PASSTHROUGH);
      assertThat(decision.cluster())
          .as("%s", connection)
          .contains("meshpassthrough_tcp_10.0.0.0/8_*");
      assertAgrees(simulation, connection);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void anHttpIpRule_forwardsRequestsWithoutHost_withoutParsingThem(Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            on(MatchType.IP, "10.0.0.1", 80, Protocol.HTTP),
            on(MatchType.CIDR, "192.168.0.0/16", 80, Protocol.GRPC),
            on(MatchType.DOMAIN, "api.example.com", 80, Protocol.HTTP));
    for (Connection connection :
        List.of(
            http("10.0.0.1", 80).withoutHost(),
            h2c("10.0.0.1", 80).withoutHost(),
            http10("10.0.0.1", 80).withoutHost(),
            http("evil.com", 80).dialing("10.0.0.1"),
            h2c("192.168.1.10", 80).withoutHost())) {
      Decision decision = simulation.simulate(connection);
      assertThat(decision.outcome())
          .as("%s%n%s", connection, decision.traceText())
          .isEqualTo(Outcome.PASSTHROUGH);
      assertThat(decision.virtualHost())
          .as("tcp_proxy, no request parsed: %s", connection)
          .isEmpty();
      assertAgrees(simulation, connection);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestsWithoutHost_whereOnlyDomainRulesApply_areRefusedByTheConnectionManager(
      Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            on(MatchType.IP, "10.0.0.1", 80, Protocol.HTTP),
            on(MatchType.DOMAIN, "api.example.com", 80, Protocol.HTTP));
    Decision http11 = simulation.simulate(http("203.0.113.7", 80).withoutHost());
    assertThat(http11.outcome()).isEqualTo(Outcome.HTTP_RESPONSE);
    assertThat(http11.httpStatus()).hasValue(400);
    assertThat(simulation.simulate(h2c("203.0.113.7", 80).withoutHost()).outcome())
        .isEqualTo(Outcome.PROTOCOL_ERROR);
    assertThat(simulation.simulate(http10("203.0.113.7", 80).withoutHost()).httpStatus())
        .hasValue(503);
    for (Connection connection :
        List.of(
            http("203.0.113.7", 80).withoutHost(),
            h2c("203.0.113.7", 80).withoutHost(),
            http10("203.0.113.7", 80).withoutHost(),
            http("api.example.com", 80))) {
      assertAgrees(simulation, connection);
    }
  }
}
