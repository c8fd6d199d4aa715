package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.mysql;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
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
 * Server-first traffic behind a {@code tcp} or {@code mysql} rule on a port where the inspectors
 * run (issue 12 §3b.2), in both encodings: an IP rule's address is handed off to a listener without
 * inspectors and passes at once (a CIDR of up to 16 addresses: one listener per address); a wider
 * CIDR, or a port-less rule on a port no rule names, still passes only after {@code
 * listener_filters_timeout} (15 s on Envoy 1.40).
 */
class ServerFirstHandOffTest {
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

  private static Decision allowed(PolicySimulation simulation, Connection connection) {
    Explanation explanation = simulation.explain(connection);
    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    assertThat(explanation.decision().outcome())
        .as(explanation.toText())
        .isEqualTo(Outcome.PASSTHROUGH);
    return explanation.decision();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void serverFirstToATcpIpRule_besideTls_passesAtOnce_throughTheAddressListener(Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            Match.of(Destination.of(MatchType.IP, "10.0.0.5"), 25, Protocol.TCP),
            Match.of(Destination.of(MatchType.DOMAIN, "mail.example.com"), 25, Protocol.TLS));
    Decision smtp = allowed(simulation, mysql("10.0.0.5", 25));
    assertThat(smtp.waitedForListenerFiltersTimeout()).isFalse();
    assertThat(smtp.listener()).contains("meshpassthrough_10.0.0.5_25");
    assertThat(smtp.cluster()).contains("meshpassthrough_tcp_10.0.0.5_25");
    assertThat(allowed(simulation, tls("10.0.0.5", 25)).listener())
        .contains("meshpassthrough_10.0.0.5_25");
    Decision tlsToTheDomain = allowed(simulation, tls("mail.example.com", 25));
    assertThat(tlsToTheDomain.listener()).contains("meshpassthrough_port_25_ipv4");
    assertThat(tlsToTheDomain.cluster()).contains("meshpassthrough_tls_mail.example.com_25");
    assertThat(simulation.simulate(mysql("10.0.0.6", 25)).isAllowed()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void serverFirstToAMysqlRule_whoseAddressAPortlessTlsRuleShares_passesAtOnce(Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            Match.of(Destination.of(MatchType.CIDR, "10.0.0.7/32"), 3306, Protocol.MYSQL),
            Match.onEveryPort(Destination.of(MatchType.DOMAIN, "db.example.com"), Protocol.TLS));
    assertThat(allowed(simulation, mysql("10.0.0.7", 3306)).waitedForListenerFiltersTimeout())
        .isFalse();
    assertThat(allowed(simulation, tls("db.example.com", 3306)).waitedForListenerFiltersTimeout())
        .isFalse();
    assertThat(allowed(simulation, tls("db.example.com", 443)).listener())
        .contains("self_transparentproxy_passthrough_outbound_ipv4");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void serverFirstIntoACidrOfAFewAddresses_passesAtOnce_throughItsAddressListener(
      Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            Match.of(Destination.of(MatchType.CIDR, "10.0.0.4/30"), 25, Protocol.TCP),
            Match.of(Destination.of(MatchType.DOMAIN, "mail.example.com"), 25, Protocol.TLS));
    Decision smtp = allowed(simulation, mysql("10.0.0.6", 25));
    assertThat(smtp.waitedForListenerFiltersTimeout()).isFalse();
    assertThat(smtp.listener()).contains("meshpassthrough_10.0.0.6_25");
    assertThat(smtp.cluster()).contains("meshpassthrough_tcp_10.0.0.4/30_25");
    assertThat(simulation.simulate(mysql("10.0.0.8", 25)).isAllowed()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void serverFirstToAWiderCidr_orToAPortlessRuleOnAnUnnamedPort_stillWaitsForTheTimeout(
      Encoding encoding) {
    PolicySimulation simulation =
        simulate(
            encoding,
            Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/8"), 25, Protocol.TCP),
            Match.onEveryPort(Destination.of(MatchType.IP, "192.168.1.10"), Protocol.TCP),
            Match.onEveryPort(Destination.of(MatchType.DOMAIN, "mail.example.com"), Protocol.TLS));
    Decision cidr = allowed(simulation, mysql("10.1.2.3", 25));
    assertThat(cidr.waitedForListenerFiltersTimeout()).isTrue();
    assertThat(cidr.listener()).contains("meshpassthrough_port_25_ipv4");
    assertThat(allowed(simulation, mysql("192.168.1.10", 2525)).waitedForListenerFiltersTimeout())
        .isTrue();
    // On the named port 25 the port-less IP rule is handed off: no wait.
    assertThat(allowed(simulation, mysql("192.168.1.10", 25)).waitedForListenerFiltersTimeout())
        .isFalse();
    assertThat(allowed(simulation, tcp("10.1.2.3", 25)).waitedForListenerFiltersTimeout())
        .isFalse();
  }
}
