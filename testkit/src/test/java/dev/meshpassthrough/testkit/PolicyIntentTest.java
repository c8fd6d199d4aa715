package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.h2c;
import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
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
import dev.meshpassthrough.envoy.DomainPinning;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a policy means for a connection, independent of Envoy. */
class PolicyIntentTest {

  @Test
  void modes_allAllowsEverything_noneNothing_absentIsMatched() {
    List<Match> matches = List.of(Match.of(ip("10.0.0.1"), 80, Protocol.TCP));

    assertThat(judge(PassthroughConf.of(PassthroughMode.ALL, matches), tcp("1.2.3.4", 9)).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(
            judge(PassthroughConf.of(PassthroughMode.NONE, matches), tcp("10.0.0.1", 80)).verdict())
        .isEqualTo(Verdict.DENY);
    PassthroughConf unset = new PassthroughConf(Optional.empty(), Optional.of(matches));
    assertThat(judge(unset, tcp("10.0.0.1", 80)).coveringEntries()).containsExactly(0);
    assertThat(judge(PassthroughConf.empty(), tcp("10.0.0.1", 80)).reason())
        .isEqualTo("passthroughMode Matched without appendMatch allows no destination");
  }

  @Test
  void tcpAndMysql_coverAnythingToTheAddressAndPort() {
    Match tcp = Match.of(cidr("10.0.0.0/8"), 443, Protocol.TCP);
    Match mysql = Match.of(ip("10.0.0.7"), 3306, Protocol.MYSQL);

    assertThat(covers(tcp, tls("api.example.com", 443).dialing("10.1.2.3"))).isTrue();
    assertThat(covers(tcp, http("10.1.2.3", 443))).isTrue();
    assertThat(covers(tcp, mysql("10.1.2.3", 443))).isTrue();
    assertThat(covers(tcp, tcp("10.1.2.3", 80))).isFalse();
    assertThat(covers(tcp, tcp("11.1.2.3", 443))).isFalse();
    assertThat(covers(mysql, mysql("10.0.0.7", 3306))).isTrue();
    assertThat(covers(mysql, tcp("10.0.0.7", 3306))).isTrue();
  }

  @Test
  void addresses_canonicalIps_cidrsWithHostBits_neverAcrossFamilies() {
    assertThat(covers(Match.onEveryPort(ip("2001:0db8:0::1"), Protocol.TCP), tcp("2001:db8::1", 5)))
        .isTrue();
    assertThat(covers(Match.onEveryPort(cidr("10.1.2.3/16"), Protocol.TCP), tcp("10.1.200.1", 5)))
        .isTrue();
    assertThat(covers(Match.onEveryPort(cidr("0.0.0.0/0"), Protocol.TCP), tcp("2001:db8::1", 5)))
        .isFalse();
  }

  @Test
  void tls_domainsBySni_wildcardsNotTheApex_anySniForAddresses() {
    Match exact = Match.of(domain("api.example.com"), 443, Protocol.TLS);
    Match wildcard = Match.of(domain("*.example.com"), 443, Protocol.TLS);
    Match cidr = Match.of(cidr("10.0.0.0/8"), 443, Protocol.TLS);

    assertThat(covers(exact, tls("API.example.com", 443).dialing("203.0.113.9"))).isTrue();
    assertThat(covers(exact, tls("api.example.com", 443).withoutSni())).isFalse();
    assertThat(covers(exact, http("api.example.com", 443))).isFalse();
    assertThat(covers(wildcard, tls("a.b.example.com", 443))).isTrue();
    assertThat(covers(wildcard, tls("example.com", 443))).isFalse();
    assertThat(covers(cidr, tls("10.1.2.3", 443))).isTrue();
    assertThat(covers(cidr, tls("anything.org", 443).dialing("10.1.2.3"))).isTrue();
    assertThat(covers(cidr, tcp("10.1.2.3", 443))).isFalse();
  }

  @Test
  void http_anyHttpVersion_domainsByHostWithoutPort_anyHostForAddresses() {
    Match domain = Match.of(domain("httpbin.org"), 8080, Protocol.HTTP2);
    Match ip = Match.of(ip("10.0.0.1"), 80, Protocol.GRPC);

    assertThat(covers(domain, http("httpbin.org", 8080))).isTrue();
    assertThat(covers(domain, http10("httpbin.org", 8080))).isTrue();
    assertThat(covers(domain, h2c("httpbin.org", 8080).withHost("HTTPBIN.org:1"))).isTrue();
    assertThat(covers(domain, tls("httpbin.org", 8080))).isFalse();
    assertThat(covers(ip, http("evil.com", 80).dialing("10.0.0.1"))).isTrue();
    assertThat(covers(ip, tcp("10.0.0.1", 80))).isFalse();
  }

  @Test
  void everyCoveringEntry_isListed() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(domain("api.example.com"), 443, Protocol.TLS),
                Match.of(ip("10.0.0.1"), 80, Protocol.TCP),
                Match.onEveryPort(cidr("10.0.0.0/8"), Protocol.TCP)));

    Intent intent = judge(conf, tls("api.example.com", 443).dialing("10.1.2.3"));

    assertThat(intent.coveringEntries()).containsExactly(0, 2);
    assertThat(intent.reason())
        .isEqualTo("appendMatch[0] Domain api.example.com:443/tls covers it (and 1 more)");
  }

  @Test
  void upstreams_offListsTheDialedAddress_deniedListsNothing() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(Match.of(domain("api.example.com"), 443, Protocol.TLS)));

    assertThat(judge(conf, tls("api.example.com", 443).dialing("10.1.2.3")).upstreams())
        .containsExactly(Upstream.dialed("10.1.2.3", 443));
    assertThat(judge(conf, tls("evil.com", 443).dialing("10.1.2.3")).upstreams()).isEmpty();
    assertThat(
            judge(PassthroughConf.of(PassthroughMode.ALL, List.of()), tcp("2001:db8::1", 5))
                .upstreams())
        .containsExactly(Upstream.dialed("2001:db8::1", 5));
  }

  @Test
  void upstreams_dnsPinsOnlyExactDomainsWithAPort() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(domain("api.example.com"), 443, Protocol.TLS),
                Match.onEveryPort(domain("api.example.com"), Protocol.TLS),
                Match.of(domain("*.example.com"), 443, Protocol.TLS),
                Match.onEveryPort(cidr("10.0.0.0/8"), Protocol.TCP)));

    Intent intent =
        PolicyIntent.of(conf, DomainPinning.DNS)
            .judge(tls("API.example.com", 443).dialing("10.1.2.3"));

    assertThat(intent.verdict()).isEqualTo(judge(conf, tls("api.example.com", 443)).verdict());
    assertThat(intent.upstreams())
        .containsExactly(
            Upstream.dialed("10.1.2.3", 443), Upstream.dnsName("api.example.com", 443));
  }

  @Test
  void upstreams_dynamicPinsTheSentNameOnTheDialedPort_exceptNumericWildcards() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(domain("api.example.com"), 80, Protocol.HTTP),
                Match.onEveryPort(domain("*.example.com"), Protocol.HTTP2),
                Match.of(domain("*.0.1"), 443, Protocol.TLS)));
    PolicyIntent intent = PolicyIntent.of(conf, DomainPinning.DYNAMIC);

    assertThat(
            intent.judge(http("api.example.com", 80).withHost("API.example.com:9999")).upstreams())
        .containsExactly(Upstream.dnsName("api.example.com", 80));
    assertThat(intent.judge(h2c("x.example.com", 8080).dialing("10.1.2.3")).upstreams())
        .containsExactly(Upstream.dnsName("x.example.com", 8080));
    assertThat(intent.judge(tls("a.0.1", 443).dialing("10.1.2.3")).upstreams())
        .containsExactly(Upstream.dialed("10.1.2.3", 443));
  }

  @Test
  void pinning_neverChangesAVerdict() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(domain("api.example.com"), 443, Protocol.TLS),
                Match.onEveryPort(cidr("10.0.0.0/8"), Protocol.TCP)));
    List<Connection> connections =
        List.of(
            tls("api.example.com", 443),
            tls("api.example.com", 8443),
            tcp("10.1.2.3", 22),
            http10("api.example.com", 443),
            mysql("192.0.2.1", 3306));

    for (DomainPinning pinning : DomainPinning.values()) {
      for (Connection connection : connections) {
        assertThat(PolicyIntent.of(conf, pinning).judge(connection).verdict())
            .isEqualTo(judge(conf, connection).verdict());
      }
    }
  }

  private static Intent judge(PassthroughConf conf, Connection connection) {
    return PolicyIntent.of(conf).judge(connection);
  }

  private static boolean covers(Match match, Connection connection) {
    return judge(PassthroughConf.of(PassthroughMode.MATCHED, List.of(match)), connection)
        .isAllowed();
  }

  private static Destination domain(String name) {
    return Destination.of(MatchType.DOMAIN, name);
  }

  private static Destination ip(String ip) {
    return Destination.of(MatchType.IP, ip);
  }

  private static Destination cidr(String cidr) {
    return Destination.of(MatchType.CIDR, cidr);
  }
}
