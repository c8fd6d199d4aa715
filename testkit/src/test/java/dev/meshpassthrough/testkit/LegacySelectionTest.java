package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.Listeners.chain;
import static dev.meshpassthrough.testkit.Listeners.originalDst;
import static dev.meshpassthrough.testkit.Listeners.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.testkit.Decision.Outcome;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Legacy {@code filter_chain_match} selection, level by level (§1.2, §1.3). */
class LegacySelectionTest {

  @Test
  void serverNames_exactFirst_thenTheLongestWildcard_neverTheApex() {
    EnvoySimulator envoy =
        simulator(
            chain("wide", 443, null, "*.example.com", "tls"),
            chain("narrow", 443, null, "*.b.example.com", "tls"),
            chain("exact", 443, null, "a.b.example.com", "tls"));

    assertThat(envoy.simulate(tls("a.b.example.com", 443)).chain()).contains("exact");
    assertThat(envoy.simulate(tls("x.b.example.com", 443)).chain()).contains("narrow");
    assertThat(envoy.simulate(tls("deep.x.example.com", 443)).chain()).contains("wide");
    assertThat(envoy.simulate(tls("example.com", 443)).outcome())
        .isEqualTo(Outcome.NO_FILTER_CHAIN);
    assertThat(envoy.simulate(tls("A.B.EXAMPLE.COM", 443)).chain()).contains("exact");
  }

  @Test
  void applicationProtocols_theClientsOrderDecides() {
    EnvoySimulator envoy =
        simulator(
            chain("h2", 443, null, null, "tls", "h2"),
            chain("h1", 443, null, null, "tls", "http/1.1"));

    assertThat(envoy.simulate(tls("a.example.com", 443).withAlpn("http/1.1", "h2")).chain())
        .contains("h1");
    assertThat(envoy.simulate(tls("a.example.com", 443).withAlpn("h2", "http/1.1")).chain())
        .contains("h2");
  }

  @Test
  void prefixRanges_hostBitsAreCleared_andAnUnsetLengthIsSlash0() {
    FilterChain unsetLength =
        chain("all", 80, null, null, null).toBuilder()
            .setFilterChainMatch(
                FilterChainMatch.newBuilder()
                    .setDestinationPort(UInt32Value.of(80))
                    .addPrefixRanges(CidrRange.newBuilder().setAddressPrefix("10.9.9.9")))
            .build();
    EnvoySimulator envoy = simulator(chain("hostBits", 443, "10.1.2.3/8", null, null), unsetLength);

    assertThat(envoy.simulate(tcp("10.200.0.1", 443)).chain()).contains("hostBits");
    assertThat(envoy.simulate(tcp("192.168.1.1", 80)).chain()).contains("all");
  }

  @Test
  void theSourceLevels_useTheClientAddress_whenKnown() {
    FilterChain local =
        chain("local", 80, null, null, null).toBuilder()
            .setFilterChainMatch(
                FilterChainMatch.newBuilder()
                    .setDestinationPort(UInt32Value.of(80))
                    .setSourceType(ConnectionSourceType.SAME_IP_OR_LOOPBACK))
            .build();
    FilterChain fromPods =
        chain("pods", 80, null, null, null).toBuilder()
            .setFilterChainMatch(
                FilterChainMatch.newBuilder()
                    .setDestinationPort(UInt32Value.of(80))
                    .addSourcePrefixRanges(
                        CidrRange.newBuilder()
                            .setAddressPrefix("10.244.0.0")
                            .setPrefixLen(UInt32Value.of(16))))
            .build();
    EnvoySimulator envoy = simulator(local, fromPods, chain("any", 80, null, null, null));

    assertThat(envoy.simulate(tcp("10.0.0.1", 80).from("127.0.0.1", 40000)).chain())
        .contains("local");
    assertThat(envoy.simulate(tcp("10.0.0.1", 80).from("10.244.1.5", 40000)).chain())
        .contains("pods");
    assertThat(envoy.simulate(tcp("10.0.0.1", 80)).chain()).contains("any");
  }

  @Test
  void overlappingMatches_makeEnvoyRejectTheListener() {
    EnvoySimulator envoy =
        simulator(
            chain("a", 443, "10.0.0.1/8", null, "tls"), chain("b", 443, "10.0.0.0/8", null, "tls"));

    Decision decision = envoy.simulate(tcp("10.0.0.1", 443));

    assertThat(decision.outcome()).isEqualTo(Outcome.LISTENER_REJECTED);
    assertThat(decision.reason())
        .contains("multiple filter chains with overlapping matching rules are defined: a and b");
  }

  @Test
  void partialWildcardServerNames_makeEnvoyRejectTheListener() {
    assertThat(
            simulator(chain("w", 443, null, "*w.example.com", "tls"))
                .simulate(tls("ww.example.com", 443))
                .reason())
        .contains("partial wildcards are not supported in \"server_names\"");
  }

  @Test
  void noChainMatches_theDefaultChainTakesIt() {
    Listener listener =
        outbound(chain("tls", 443, null, "api.example.com", "tls")).toBuilder()
            .setDefaultFilterChain(
                FilterChain.newBuilder().addFilters(Listeners.tcpProxy("fallback")))
            .build();

    Decision decision =
        EnvoySimulator.of(List.of(listener), originalDst("tls", "fallback"))
            .simulate(tls("other.org", 443));

    assertThat(decision.chain()).contains("default_filter_chain");
    assertThat(decision.cluster()).contains("fallback");
  }

  private static EnvoySimulator simulator(FilterChain... chains) {
    return EnvoySimulator.of(
        List.of(outbound(chains)),
        originalDst(List.of(chains).stream().map(FilterChain::getName).toArray(String[]::new)));
  }
}
