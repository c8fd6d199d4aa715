package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the translator would reject in a list of entries, and the predicates the validator shares.
 */
class MatchConflictsTest {

  private static List<MatchConflicts.Conflict> find(Match... matches) {
    return MatchConflicts.find(List.of(matches));
  }

  private static String message(MatchConflicts.Conflict conflict) {
    return conflict.message(i -> "#" + i);
  }

  @Test
  void httpAndGrpcOnOnePort_isKumasSamePortError_naming_everyLayer7Entry() {
    List<MatchConflicts.Conflict> conflicts =
        find(
            Fixtures.match("Domain", "example.com", 8080, Protocol.HTTP),
            Fixtures.match("IP", "10.0.0.1", 8080, Protocol.TCP),
            Fixtures.match("Domain", "api.example.com", 8080, Protocol.GRPC));

    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.get(0).ruleId()).isEqualTo(MatchConflicts.SAME_PORT_LAYER7);
    assertThat(conflicts.get(0).entries()).containsExactly(0, 2);
    assertThat(message(conflicts.get(0)))
        .isEqualTo("you cannot configure http, http2, grpc on the same port 8080: #0 and #2");
  }

  @Test
  void portlessHttpDomain_andHttp2OnAPort_collideWhereTheCopyLands() {
    List<MatchConflicts.Conflict> conflicts =
        find(
            Fixtures.match("Domain", "example.com", null, Protocol.HTTP),
            Fixtures.match("Domain", "api.example.com", 9090, Protocol.HTTP2));

    assertThat(conflicts)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.ruleId()).isEqualTo(MatchConflicts.SAME_CHAIN_MATCH);
              assertThat(c.ports()).containsExactly(9090);
              assertThat(message(c))
                  .isEqualTo(
                      "#0 and #1 give Envoy two filter chains with the same match on port 9090, which Envoy rejects: "
                          + "change or remove one of them");
            });
  }

  @Test
  void tlsDomainsThatDifferOnlyInCase_collide() {
    assertThat(
            find(
                Fixtures.match("Domain", "EXAMPLE.com", 443, Protocol.TLS),
                Fixtures.match("Domain", "example.com", 443, Protocol.TLS)))
        .singleElement()
        .extracting(MatchConflicts.Conflict::entries)
        .isEqualTo(List.of(0, 1));
  }

  @Test
  void aPortlessTlsDomain_collidesWithItsOtherSpellingOnEveryUsedPort() {
    List<MatchConflicts.Conflict> conflicts =
        find(
            Fixtures.match("Domain", "Example.com", null, Protocol.TLS),
            Fixtures.match("Domain", "example.com", 443, Protocol.TLS),
            Fixtures.match("IP", "10.0.0.1", 8443, Protocol.TCP));

    assertThat(conflicts)
        .singleElement()
        .extracting(MatchConflicts.Conflict::ports)
        .isEqualTo(List.of(443));
  }

  @Test
  void tcpAndMysqlOnOneAddressAndPort_collide_asEnvoyCannotTellThemApart() {
    assertThat(
            find(
                Fixtures.match("IP", "10.0.0.1", 3306, Protocol.TCP),
                Fixtures.match("IP", "10.0.0.1", 3306, Protocol.MYSQL)))
        .singleElement()
        .extracting(MatchConflicts.Conflict::ruleId)
        .isEqualTo(MatchConflicts.SAME_CHAIN_MATCH);
  }

  @Test
  void oneAddressInTwoSpellings_collides_andIdenticalEntriesDoNot() {
    assertThat(
            find(
                Fixtures.match("IP", "2001:db8::1", 80, Protocol.HTTP),
                Fixtures.match("IP", "2001:0db8::1", 80, Protocol.HTTP)))
        .hasSize(1);
    assertThat(
            find(
                Fixtures.match("CIDR", "10.0.0.0/8", 80, Protocol.TCP),
                Fixtures.match("CIDR", "10.1.2.3/8", 80, Protocol.TCP)))
        .hasSize(1);
    assertThat(
            find(
                Fixtures.match("Domain", "github.com", 443, Protocol.TLS),
                Fixtures.match("Domain", "github.com", 443, Protocol.TLS),
                Fixtures.match("Domain", "github.com", null, Protocol.TLS)))
        .isEmpty();
  }

  @Test
  void differentProtocolsThatEnvoyTellsApart_doNotCollide() {
    assertThat(
            find(
                Fixtures.match("IP", "10.0.0.1", 80, Protocol.TCP),
                Fixtures.match("IP", "10.0.0.1", 80, Protocol.TLS),
                Fixtures.match("IP", "10.0.0.1", 80, Protocol.HTTP),
                Fixtures.match("Domain", "*.example.com", 443, Protocol.TLS),
                Fixtures.match("Domain", "example.com", 443, Protocol.TLS),
                Fixtures.match("Domain", "a.example.com", 80, Protocol.HTTP),
                Fixtures.match("Domain", "b.example.com", null, Protocol.HTTP)))
        .isEmpty();
  }

  @Test
  void layer7Clash_andIdentity_areWhatTheValidatorUses() {
    Match http = Fixtures.match("Domain", "a.example.com", null, Protocol.HTTP);
    Match grpc = Fixtures.match("Domain", "b.example.com", 8080, Protocol.GRPC);
    Match grpcIp = Fixtures.match("IP", "10.0.0.1", 8080, Protocol.GRPC);

    assertThat(MatchConflicts.layer7Clash(http, grpc)).isTrue();
    assertThat(MatchConflicts.layer7Clash(http, grpcIp)).isFalse();
    assertThat(MatchConflicts.layer7Clash(grpc, grpc)).isFalse();
    assertThat(MatchConflicts.identity(Fixtures.match("Domain", "EXAMPLE.com", 443, Protocol.TLS)))
        .isEqualTo(
            MatchConflicts.identity(Fixtures.match("Domain", "example.com", 443, Protocol.TLS)));
    MatchConflicts.EntryIdentity ip =
        MatchConflicts.identity(Fixtures.match("IP", "2001:0db8::1", null, Protocol.TCP));
    assertThat(ip.domain()).isEmpty();
    assertThat(ip.network()).map(Object::toString).hasValue("2001:db8::1/128");
    assertThat(
            MatchConflicts.identity(Fixtures.match("Domain", "*.Example.com", 443, Protocol.TLS))
                .domain())
        .hasValue("*.example.com");
  }

  @Test
  void portlessLayer7EntriesOfTwoProtocols_areKumasErrorOnPort0_withoutAnEchoOnEveryCopy() {
    List<MatchConflicts.Conflict> conflicts =
        find(
            Fixtures.match("Domain", "a.example.com", null, Protocol.HTTP),
            Fixtures.match("Domain", "b.example.com", null, Protocol.HTTP2),
            Fixtures.match("IP", "10.0.0.1", 80, Protocol.TCP));

    assertThat(conflicts)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.ruleId()).isEqualTo(MatchConflicts.SAME_PORT_LAYER7);
              assertThat(message(c))
                  .isEqualTo(
                      "you cannot configure http, http2, grpc on the same port 0: #0 and #1");
            });
  }

  @Test
  void aPortlessEntry_collidesOncePerPortItMeets() {
    List<MatchConflicts.Conflict> conflicts =
        find(
            Fixtures.match("Domain", "Example.com", null, Protocol.TLS),
            Fixtures.match("Domain", "example.com", 8443, Protocol.TLS),
            Fixtures.match("Domain", "example.com", 443, Protocol.TLS));

    assertThat(conflicts).hasSize(2);
    assertThat(conflicts)
        .extracting(MatchConflicts.Conflict::entries)
        .containsExactly(List.of(0, 1), List.of(0, 2));
    assertThat(message(conflicts.get(0)))
        .contains("#0 and #1 give Envoy two filter chains with the same match on port 8443,");
  }

  @Test
  void longLists_nameTenEntries() {
    Match[] many = new Match[30];
    for (int i = 0; i < many.length; i++) {
      many[i] = Fixtures.match("IP", "10.0.0." + i, 80, i % 2 == 0 ? Protocol.HTTP : Protocol.GRPC);
    }

    assertThat(message(find(many).get(0)))
        .endsWith("#0, #1, #2, #3, #4, #5, #6, #7, #8 and 21 more");
  }
}
