package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.mysql;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.Listeners.chain;
import static dev.meshpassthrough.testkit.Listeners.originalDst;
import static dev.meshpassthrough.testkit.Listeners.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.type.v3.Int32Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redirect, listener filters, hand-off and the listener-level failures. */
class ListenerStagesTest {
  private static final ListenerFilterChainMatchPredicate PORT_3306 =
      ListenerFilterChainMatchPredicate.newBuilder()
          .setDestinationPortRange(Int32Range.newBuilder().setStart(3306).setEnd(3307))
          .build();

  @Test
  void serverFirstClient_stallsTheInspectors_andIsClosedAfter15Seconds() {
    EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(outbound(chain("db", 3306, null, null, null))), originalDst("db"));

    Decision decision = envoy.simulate(mysql("10.0.0.7", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.STALLED);
    assertThat(decision.reason())
        .startsWith(
            "closed after 15 s: envoy.filters.listener.tls_inspector waited for the client's first bytes");
  }

  @Test
  void inspectorsDisabledOnThePort_letAServerFirstClientThrough() {
    EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(
                withInspectorsDisabled(
                    outbound(chain("db", 3306, null, null, "raw_buffer")), PORT_3306)),
            originalDst("db"));

    assertThat(envoy.simulate(mysql("10.0.0.7", 3306)).outcome()).isEqualTo(Outcome.PASSTHROUGH);
  }

  @Test
  void portPredicatesSeeTheListenerPort_whenOriginalDstRunsAfterThem() {
    Listener listener =
        withInspectorsDisabled(outbound(chain("db", 3306, null, null, "raw_buffer")), PORT_3306);
    Listener originalDstLast =
        listener.toBuilder()
            .clearListenerFilters()
            .addListenerFilters(listener.getListenerFilters(1))
            .addListenerFilters(listener.getListenerFilters(2))
            .addListenerFilters(listener.getListenerFilters(0))
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(originalDstLast), originalDst("db"))
            .simulate(mysql("10.0.0.7", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.STALLED);
  }

  @Test
  void continueOnListenerFiltersTimeout_goesOnWithWhatWasFound() {
    Listener listener =
        outbound(chain("db", 3306, null, null, "raw_buffer")).toBuilder()
            .setContinueOnListenerFiltersTimeout(true)
            .setListenerFiltersTimeout(Duration.newBuilder().setSeconds(2))
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), originalDst("db")).simulate(mysql("10.0.0.7", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.PASSTHROUGH);
    assertThat(decision.traceText())
        .contains("after 2 s, continue_on_listener_filters_timeout lets the connection go on");
  }

  @Test
  void aZeroTimeout_waitsForever() {
    Listener listener =
        outbound(chain("db", 3306, null, null, null)).toBuilder()
            .setListenerFiltersTimeout(Duration.getDefaultInstance())
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), originalDst("db")).simulate(mysql("10.0.0.7", 3306));

    assertThat(decision.outcome()).isEqualTo(Outcome.STALLED);
    assertThat(decision.reason()).contains("waits forever");
  }

  @Test
  void withoutTlsInspector_tlsChainsNeverMatch() {
    Listener listener =
        outbound(chain("tls", 443, null, "api.example.com", "tls")).toBuilder()
            .removeListenerFilters(1)
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), originalDst("tls"))
            .simulate(tls("api.example.com", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(decision.traceText())
        .contains("no listener filter set a transport protocol: Envoy sets raw_buffer");
  }

  @Test
  void aListenerBoundToTheDestination_takesTheConnectionOver() {
    Listener service =
        Listener.newBuilder()
            .setName("outbound:10.0.0.9:443")
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("10.0.0.9").setPortValue(443)))
            .addFilterChains(chain("service", 0, null, null, null))
            .build();
    EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(outbound(chain("passthrough", 0, null, null, null)), service),
            originalDst("passthrough", "service"));

    Decision decision = envoy.simulate(tcp("10.0.0.9", 443));

    assertThat(decision.listener()).contains("outbound:10.0.0.9:443");
    assertThat(decision.chain()).contains("service");
    assertThat(envoy.simulate(tcp("10.0.0.8", 443)).chain()).contains("passthrough");
  }

  /**
   * Measured on Envoy 1.40: the hand-off happens only after every listener filter of the
   * passthrough listener.
   */
  @Test
  void
      aServerFirstClient_reachesAListenerBoundToItsDestination_onlyAfterThePassthroughInspectors() {
    Listener mysql =
        Listener.newBuilder()
            .setName("exact:10.0.0.5:3306")
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("10.0.0.5").setPortValue(3306)))
            .setBindToPort(BoolValue.of(false))
            .addFilterChains(chain("exact", 0, null, null, null))
            .build();
    Listener inspecting =
        outbound(chain("passthrough", 0, null, null, null)).toBuilder()
            .setContinueOnListenerFiltersTimeout(true)
            .build();
    Decision late =
        EnvoySimulator.of(List.of(inspecting, mysql), originalDst("passthrough", "exact"))
            .simulate(mysql("10.0.0.5", 3306));
    assertThat(late.listener()).contains("exact:10.0.0.5:3306");
    assertThat(late.waitedForListenerFiltersTimeout()).isTrue();

    Listener notInspecting = withInspectorsDisabled(inspecting, PORT_3306);
    Decision atOnce =
        EnvoySimulator.of(List.of(notInspecting, mysql), originalDst("passthrough", "exact"))
            .simulate(mysql("10.0.0.5", 3306));
    assertThat(atOnce.listener()).contains("exact:10.0.0.5:3306");
    assertThat(atOnce.waitedForListenerFiltersTimeout()).isFalse();
    assertThat(atOnce.isAllowed()).isTrue();
  }

  @Test
  void noListenerForTheFamily_refusesTheConnection() {
    EnvoySimulator envoy =
        EnvoySimulator.of(List.of(outbound(chain("any", 0, null, null, null))), originalDst("any"));

    Decision decision = envoy.simulate(tcp("2001:db8::1", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_LISTENER);
    assertThat(decision.reason()).isEqualTo("refused: no listener takes IPv6 connections");
  }

  @Test
  void aListenerWithoutUseOriginalDst_isNotARedirectTarget() {
    Listener plain =
        outbound(chain("any", 0, null, null, null)).toBuilder()
            .setUseOriginalDst(BoolValue.of(false))
            .build();

    assertThat(
            EnvoySimulator.of(List.of(plain), originalDst("any"))
                .simulate(tcp("10.0.0.1", 80))
                .outcome())
        .isEqualTo(Outcome.NO_LISTENER);
  }

  @Test
  void aChainWithoutFilters_closesTheConnection_andAMissingClusterToo() {
    Listener listener =
        outbound(
            chain("empty", 80, null, null, null).toBuilder().clearFilters().build(),
            chain("ghost", 443, null, null, null));
    EnvoySimulator envoy = EnvoySimulator.of(List.of(listener), List.of());

    assertThat(envoy.simulate(tcp("10.0.0.1", 80)).outcome()).isEqualTo(Outcome.NO_NETWORK_FILTER);
    Decision missing = envoy.simulate(tcp("10.0.0.1", 443));
    assertThat(missing.outcome()).isEqualTo(Outcome.MISSING_CLUSTER);
    assertThat(missing.reason()).isEqualTo("closed: tcp_proxy's cluster ghost does not exist");
  }

  @Test
  void traces_areDeterministic() {
    EnvoySimulator envoy =
        EnvoySimulator.of(
            List.of(
                outbound(
                    chain("FC1", 443, null, "api.example.com", "tls"),
                    chain("FC2", 443, "10.0.0.0/8", null, "raw_buffer"))),
            originalDst("FC1", "FC2"));

    assertThat(envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3")))
        .isEqualTo(envoy.simulate(tls("api.example.com", 443).dialing("10.1.2.3")));
  }

  private static Listener withInspectorsDisabled(
      Listener listener, ListenerFilterChainMatchPredicate predicate) {
    Listener.Builder builder = listener.toBuilder().clearListenerFilters();
    for (ListenerFilter filter : listener.getListenerFiltersList()) {
      builder.addListenerFilters(
          filter.getName().endsWith("inspector")
              ? filter.toBuilder().setFilterDisabled(predicate).build()
              : filter);
    }
    return builder.build();
  }
}
