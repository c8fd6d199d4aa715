package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.disabledOn;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.httpInspector;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.listener;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.load;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.match;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDst;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDstCluster;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.outbound;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.port;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tcpChain;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tlsInspector;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.EnvoySimulator;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a real Envoy 1.40's listener filters do before a chain is chosen (tls_inspector,
 * http_inspector, their {@code filter_disabled} predicates, the listener-filter timeout) and the
 * {@code use_original_dst} hand-off, each checked against the simulator too.
 */
class EnvoyListenerFilterBehaviourTest {

  @Test
  void tlsInspector_setsTransportSniAndAlpn_andLeavesOtherBytesAlone() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .addFilterChains(
                    tcpChain(
                        "sni-h2",
                        match()
                            .addServerNames("api.example.com")
                            .setTransportProtocol("tls")
                            .addApplicationProtocols("h2")))
                .addFilterChains(tcpChain("raw", match().setTransportProtocol("raw_buffer"))));

    assertThat(envoy.decide(Connection.tls("api.example.com", 443).withAlpn("h2")).chain())
        .contains("sni-h2");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 443)).chain()).contains("raw");
    assertThat(envoy.decide(Connection.http("api.example.com", 443)).chain()).contains("raw");
  }

  @Test
  void withoutTlsInspector_tlsTransportAndServerNamesNeverMatch() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst())
                .addFilterChains(tcpChain("sni", port(443).addServerNames("api.example.com")))
                .addFilterChains(tcpChain("tls", port(8443).setTransportProtocol("tls")))
                .addFilterChains(tcpChain("raw", port(9443).setTransportProtocol("raw_buffer"))));

    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tls("api.example.com", 8443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.decide(Connection.tls("api.example.com", 9443)).chain())
        .as("TLS bytes, transport raw_buffer")
        .contains("raw");
  }

  @Test
  void httpInspector_setsOneAlpnPerHttpVersion_andSkipsTls() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector(), httpInspector())
                .addFilterChains(tcpChain("http10", match().addApplicationProtocols("http/1.0")))
                .addFilterChains(tcpChain("http11", match().addApplicationProtocols("http/1.1")))
                .addFilterChains(tcpChain("h2c", match().addApplicationProtocols("h2c")))
                .addFilterChains(tcpChain("other", match())));

    assertThat(envoy.decide(Connection.http10("api.example.com", 80)).chain()).contains("http10");
    assertThat(envoy.decide(Connection.http("api.example.com", 80)).chain()).contains("http11");
    assertThat(envoy.decide(Connection.h2c("api.example.com", 80)).chain()).contains("h2c");
    assertThat(envoy.decide(Connection.tcp("192.0.2.1", 80)).chain()).contains("other");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).chain())
        .as("TLS is never HTTP-inspected")
        .contains("other");
  }

  @Test
  void filterDisabled_portPredicate_turnsTheInspectorOffForThatDestinationPort() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), disabledOn(tlsInspector(), 3306))
                .addFilterChains(tcpChain("tls-3306", port(3306).setTransportProtocol("tls")))
                .addFilterChains(
                    tcpChain("raw-3306", port(3306).setTransportProtocol("raw_buffer")))
                .addFilterChains(tcpChain("tls-443", port(443).setTransportProtocol("tls"))));

    assertThat(envoy.decide(Connection.tls("db.example.com", 3306)).chain()).contains("raw-3306");
    assertThat(envoy.decide(Connection.mysql("192.0.2.1", 3306)).chain())
        .as("no inspector waits")
        .contains("raw-3306");
    assertThat(envoy.decide(Connection.tls("api.example.com", 443)).chain()).contains("tls-443");
  }

  @Test
  void serverFirstClient_behindAnInspector_isClosedWhenListenerFiltersTimeoutExpires() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector())
                .setListenerFiltersTimeout(Duration.newBuilder().setNanos(300_000_000))
                .addFilterChains(tcpChain("any", match())));

    Decision decision = envoy.decide(Connection.mysql("192.0.2.1", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.STALLED);
    assertThat(decision.chain()).isEmpty();
  }

  @Test
  void serverFirstClient_withContinueOnListenerFiltersTimeout_passesLate() {
    BehaviourFixtures.Judge envoy =
        load(
            outbound(originalDst(), tlsInspector(), httpInspector())
                .setListenerFiltersTimeout(Duration.newBuilder().setNanos(300_000_000))
                .setContinueOnListenerFiltersTimeout(true)
                .addFilterChains(tcpChain("tls", match().setTransportProtocol("tls")))
                .addFilterChains(tcpChain("any", match())));

    Decision decision = envoy.decide(Connection.mysql("192.0.2.1", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.PASSTHROUGH);
    assertThat(decision.chain()).contains("any");
    assertThat(decision.waitedForListenerFiltersTimeout()).isTrue();
  }

  @Test
  void listenerFiltersTimeout_defaultsToFifteenSeconds() {
    SharedRealEnvoy.get(); // honours -DskipRealEnvoy
    Listener listener =
        outbound(originalDst(), tlsInspector()).addFilterChains(tcpChain("any", match())).build();
    try (RealEnvoy patient =
        RealEnvoy.start(EnvoyBinary.findOrInstall(), java.time.Duration.ofSeconds(20))) {
      assertThat(
              patient
                  .load(List.of(listener), List.of(originalDstCluster(BehaviourFixtures.CLUSTER)))
                  .accepted())
          .isTrue();
      long start = System.nanoTime();
      Decision decision = patient.decide(Connection.mysql("192.0.2.1", 3306));
      java.time.Duration waited = java.time.Duration.ofNanos(System.nanoTime() - start);

      assertThat(decision.outcome()).isEqualTo(Outcome.STALLED);
      assertThat(waited)
          .isBetween(java.time.Duration.ofSeconds(14), java.time.Duration.ofSeconds(20));
      assertThat(
              EnvoySimulator.of(List.of(listener), List.of())
                  .simulate(Connection.mysql("192.0.2.1", 3306))
                  .reason())
          .contains("after 15 s");
    }
  }

  @Test
  void
      useOriginalDst_handsTheConnectionToTheListenerBoundToTheRestoredAddress_whichRunsItsOwnFilters() {
    Listener outbound =
        outbound(originalDst()).addFilterChains(tcpChain("outbound-any", match())).build();
    Listener exact =
        listener("exact", "10.9.9.9", 8080)
            .setBindToPort(BoolValue.of(false))
            .addListenerFilters(tlsInspector())
            .addFilterChains(tcpChain("exact-sni", match().addServerNames("api.example.com")))
            .build();
    Listener wildcard =
        listener("wildcard", "0.0.0.0", 8080)
            .setBindToPort(BoolValue.of(false))
            .addFilterChains(tcpChain("wildcard-any", match()))
            .build();
    BehaviourFixtures.Judge envoy =
        load(
            List.of(outbound, exact, wildcard),
            List.of(originalDstCluster(BehaviourFixtures.CLUSTER)));

    Decision toExact = envoy.decide(Connection.tls("api.example.com", 8080).dialing("10.9.9.9"));
    assertThat(toExact.listener()).contains("exact");
    assertThat(toExact.chain()).contains("exact-sni");
    Decision toWildcard = envoy.decide(Connection.tcp("10.9.9.10", 8080));
    assertThat(toWildcard.listener()).contains("wildcard");
    assertThat(toWildcard.chain()).contains("wildcard-any");
    Decision elsewhere = envoy.decide(Connection.tcp("10.9.9.9", 8081));
    assertThat(elsewhere.listener()).contains("outbound");
    assertThat(elsewhere.chain()).contains("outbound-any");
  }
}
