package dev.meshpassthrough.core.resolve;

import static dev.meshpassthrough.core.resolve.Fixtures.match;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts.Dropped;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts.Kind;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts.Suppressed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kuma 3.x's conflict rules, one rule at a time. */
class Kuma3ConflictsTest {

  private static Kuma3Conflicts find(Match... matches) {
    return Kuma3Conflicts.find(List.of(matches));
  }

  @Test
  void noConflict_keepsEverything() {
    Kuma3Conflicts conflicts =
        find(
            match("Domain", "a.com", 80, Protocol.HTTP),
            match("Domain", "b.com", 80, Protocol.HTTP),
            match("IP", "10.0.0.1", 80, Protocol.TCP),
            match("Domain", "a.com", 443, Protocol.TLS));
    assertThat(conflicts.kept()).containsExactly(0, 1, 2, 3);
    assertThat(conflicts.dropped()).isEmpty();
    assertThat(conflicts.suppressed()).isEmpty();
    assertThat(conflicts.warnings()).isEmpty();
  }

  @Test
  void domainWithoutPort_isDropped_wildcardIsNot() {
    Kuma3Conflicts conflicts =
        find(
            match("Domain", "a.com", null, Protocol.TLS),
            match("Domain", "*.a.com", null, Protocol.TLS));
    assertThat(conflicts.kept()).containsExactly(1);
    assertThat(conflicts.dropped())
        .containsExactly(
            new Dropped(
                0,
                Kind.DOMAIN_WITHOUT_PORT,
                "a domain needs a port, the sidecar resolves the domain to pin the destination",
                "a.com"));
    assertThat(conflicts.dropped().get(0).violationField()).contains("port");
  }

  @Test
  void firstProtocolWins_onTheDomainsOfAPort() {
    Kuma3Conflicts conflicts =
        find(
            match("Domain", "a.com", 8080, Protocol.GRPC),
            match("Domain", "b.com", 8080, Protocol.HTTP),
            match("Domain", "c.com", 8080, Protocol.GRPC));
    assertThat(conflicts.kept()).containsExactly(0, 2);
    Dropped dropped = conflicts.dropped().get(0);
    assertThat(dropped.kind()).isEqualTo(Kind.PROTOCOLS_CONFLICT);
    assertThat(dropped.violationField()).contains("protocol");
    assertThat(dropped.warning())
        .isEqualTo(
            "ignoring match \"b.com\", protocols grpc and http produce the same filter chain for domains on port 8080");
  }

  @Test
  void tcpAndMysql_shareAChain_tlsDoesNot() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "10.1.1.1", 3306, Protocol.MYSQL),
            match("IP", "10.1.1.1", 3306, Protocol.TCP),
            match("IP", "10.1.1.1", 3306, Protocol.TLS));
    assertThat(conflicts.kept()).containsExactly(0, 2);
    assertThat(conflicts.warnings())
        .containsExactly(
            "ignoring match \"10.1.1.1\", protocols mysql and tcp produce the same filter chain for 10.1.1.1/32 on port 3306");
  }

  @Test
  void sameIpWrittenTwice_merges_butAnotherSpellingIsDropped() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "10.0.0.1", 80, Protocol.HTTP),
            match("IP", "10.0.0.1", 80, Protocol.HTTP),
            match("CIDR", "10.0.0.1/32", 80, Protocol.HTTP));
    assertThat(conflicts.kept()).containsExactly(0, 1);
    assertThat(conflicts.dropped())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(Kind.MATCHES_CONFLICT);
              assertThat(d.violationField()).contains("value");
              assertThat(d.reason())
                  .isEqualTo(
                      "matches \"10.0.0.1\" and \"10.0.0.1/32\" produce the same filter chain for 10.0.0.1/32 on port 80");
            });
  }

  @Test
  void tlsDomains_conflictOnTheSameServerName_inAnyCase() {
    Kuma3Conflicts conflicts =
        find(
            match("Domain", "API.example.com", 443, Protocol.TLS),
            match("Domain", "api.example.com", 443, Protocol.TLS),
            match("Domain", "other.example.com", 443, Protocol.TLS));
    assertThat(conflicts.kept()).containsExactly(0, 2);
    assertThat(conflicts.warnings())
        .containsExactly(
            "ignoring match \"api.example.com\", matches \"API.example.com\" and \"api.example.com\" produce the same filter chain for domain \"api.example.com\" on port 443");
  }

  @Test
  void cidrHostBits_areCanonicalised() {
    Kuma3Conflicts conflicts =
        find(
            match("CIDR", "10.0.0.1/24", 8080, Protocol.HTTP),
            match("CIDR", "10.0.0.0/24", 8080, Protocol.GRPC));
    assertThat(conflicts.kept()).containsExactly(0);
    assertThat(conflicts.dropped().get(0).reason()).endsWith("for 10.0.0.0/24 on port 8080");
  }

  @Test
  void ipv6Spellings_areOneAddress() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "2001:DB8:0:0::1", 443, Protocol.TCP),
            match("CIDR", "2001:db8::1/128", 443, Protocol.TCP));
    assertThat(conflicts.kept()).containsExactly(0);
    assertThat(conflicts.dropped().get(0).reason())
        .isEqualTo(
            "matches \"2001:DB8:0:0::1\" and \"2001:db8::1/128\" produce the same filter chain for 2001:db8::1/128 on port 443");
  }

  @Test
  void ipv4MappedIp_doesNotConflictWithTheIpv4Address() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "::ffff:10.0.0.1", 443, Protocol.TCP),
            match("IP", "10.0.0.1", 443, Protocol.MYSQL));
    assertThat(conflicts.kept()).containsExactly(0, 1);
    assertThat(conflicts.warnings()).isEmpty();
  }

  @Test
  void ipv4MappedCidr_collapsesToIpv4() {
    Kuma3Conflicts conflicts =
        find(
            match("CIDR", "10.0.0.0/8", 443, Protocol.TCP),
            match("CIDR", "::ffff:10.0.0.0/104", 443, Protocol.MYSQL));
    assertThat(conflicts.kept()).containsExactly(0);
    assertThat(conflicts.dropped().get(0).reason())
        .isEqualTo(
            "protocols tcp and mysql produce the same filter chain for 10.0.0.0/8 on port 443");
  }

  @Test
  void portlessMatches_conflictOnAllPorts() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "10.0.0.1", null, Protocol.HTTP),
            match("CIDR", "10.0.0.1/32", null, Protocol.GRPC));
    assertThat(conflicts.kept()).containsExactly(0);
    assertThat(conflicts.warnings())
        .containsExactly(
            "ignoring match \"10.0.0.1/32\", protocols http and grpc produce the same filter chain for 10.0.0.1/32 on all ports");
  }

  @Test
  void portlessCopy_isSuppressedWhereALaterExplicitChainOwnsThePort() {
    Kuma3Conflicts conflicts =
        find(
            match("IP", "10.0.0.1", null, Protocol.HTTP),
            match("IP", "10.0.0.1", 9090, Protocol.GRPC),
            match("IP", "10.0.0.1", 8080, Protocol.HTTP),
            match("IP", "10.0.0.2", 7070, Protocol.TCP));
    assertThat(conflicts.kept()).containsExactly(0, 1, 2, 3);
    assertThat(conflicts.dropped()).isEmpty();
    assertThat(conflicts.suppressed())
        .containsExactly(
            new Suppressed(
                0,
                9090,
                "protocols grpc and http produce the same filter chain for 10.0.0.1/32 on port 9090, matches with protocol http and no port are not applied there"));
    assertThat(conflicts.warnings()).containsExactly(conflicts.suppressed().get(0).warning());
  }

  @Test
  void warnings_areDeduplicated_keepingTheFirst() {
    Kuma3Conflicts conflicts =
        find(
            match("Domain", "a.com", 80, Protocol.HTTP),
            match("Domain", "b.com", 80, Protocol.GRPC),
            match("Domain", "b.com", 80, Protocol.GRPC));
    assertThat(conflicts.dropped()).hasSize(2);
    assertThat(conflicts.warnings()).hasSize(1);
  }
}
