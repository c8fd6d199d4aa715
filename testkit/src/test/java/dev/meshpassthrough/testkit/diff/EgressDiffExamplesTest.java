package dev.meshpassthrough.testkit.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.diff.EgressDiff;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.PolicyIntent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tricky cuts, connection by connection: for each, where the diff puts it (newly allowed, newly
 * denied, or in no class) is what was expected, and what the intent of both confs says.
 */
class EgressDiffExamplesTest {
  private static final Connection OPAQUE = Connection.tcp("10.0.0.1", 443);

  @Test
  void wildcardVersusApex() {
    check(
        matched(Match.of(domain("example.com"), 443, Protocol.TLS)),
        matched(Match.of(domain("*.example.com"), 443, Protocol.TLS)),
        List.of(
            new Case(Connection.tls("example.com", 443), Where.NARROWED),
            new Case(Connection.tls("EXAMPLE.com", 443), Where.NARROWED),
            new Case(Connection.tls("a.example.com", 443), Where.WIDENED),
            new Case(Connection.tls("a.b.example.com", 443).dialing("2001:db8::1"), Where.WIDENED),
            new Case(Connection.tls("a.example.com", 8443), Where.NOWHERE),
            new Case(Connection.tls("example.org", 443), Where.NOWHERE),
            new Case(Connection.h2c("a.example.com", 443), Where.NOWHERE)));
  }

  @Test
  void nestedCidrs() {
    check(
        matched(Match.of(cidr("10.0.0.0/8"), 5432, Protocol.TCP)),
        matched(Match.of(cidr("10.1.0.0/16"), 5432, Protocol.TCP)),
        List.of(
            new Case(Connection.tcp("10.0.0.0", 5432), Where.NARROWED),
            new Case(Connection.tcp("10.0.255.255", 5432), Where.NARROWED),
            new Case(Connection.tcp("10.1.0.0", 5432), Where.NOWHERE),
            new Case(Connection.tcp("10.1.255.255", 5432), Where.NOWHERE),
            new Case(Connection.tcp("10.2.0.0", 5432), Where.NARROWED),
            new Case(Connection.tcp("10.255.255.255", 5432), Where.NARROWED),
            new Case(Connection.tcp("11.0.0.0", 5432), Where.NOWHERE),
            new Case(Connection.tls("db.example.com", 5432).dialing("10.9.9.9"), Where.NARROWED),
            new Case(Connection.tcp("10.0.0.1", 5433), Where.NOWHERE)));
  }

  @Test
  void portlessVersusPorted() {
    check(
        matched(Match.onEveryPort(ip("10.0.0.1"), Protocol.TCP)),
        matched(Match.of(ip("10.0.0.1"), 443, Protocol.TCP)),
        List.of(
            new Case(Connection.tcp("10.0.0.1", 443), Where.NOWHERE),
            new Case(Connection.tcp("10.0.0.1", 1), Where.NARROWED),
            new Case(Connection.mysql("10.0.0.1", 65535), Where.NARROWED),
            new Case(Connection.tcp("10.0.0.2", 80), Where.NOWHERE)));
  }

  @Test
  void modeAllToNone() {
    check(
        PassthroughConf.of(PassthroughMode.ALL, List.of()),
        PassthroughConf.of(
            PassthroughMode.NONE, List.of(Match.of(domain("api.example.com"), 443, Protocol.TLS))),
        List.of(
            new Case(Connection.tls("api.example.com", 443), Where.NARROWED),
            new Case(Connection.mysql("::1", 3306), Where.NARROWED),
            new Case(Connection.http("10.0.0.1", 80).withoutHost(), Where.NARROWED)));
  }

  @Test
  void ipv6NetworkStaysInItsFamily() {
    check(
        matched(),
        matched(Match.onEveryPort(cidr("2001:db8::/32"), Protocol.TLS)),
        List.of(
            new Case(Connection.tls("2001:db8::1", 443), Where.WIDENED),
            new Case(
                Connection.tls("api.example.com", 8443).dialing("2001:db8:ffff::1"), Where.WIDENED),
            new Case(Connection.tls("2001:db9::", 443), Where.NOWHERE),
            new Case(Connection.http("2001:db8::1", 80), Where.NOWHERE),
            new Case(Connection.tls("192.0.2.1", 443), Where.NOWHERE)));
  }

  @Test
  void tcpCoversTlsAndHttpOnTheSameAddress() {
    check(
        matched(Match.of(ip("10.0.0.1"), 443, Protocol.TCP)),
        matched(Match.of(ip("10.0.0.1"), 443, Protocol.TLS)),
        List.of(
            new Case(Connection.tls("10.0.0.1", 443), Where.NOWHERE),
            new Case(Connection.tls("api.example.com", 443).dialing("10.0.0.1"), Where.NOWHERE),
            new Case(Connection.http("10.0.0.1", 443), Where.NARROWED),
            new Case(Connection.h2c("10.0.0.1", 443).withoutHost(), Where.NARROWED),
            new Case(OPAQUE, Where.NARROWED),
            new Case(Connection.mysql("10.0.0.1", 443), Where.NARROWED)));
  }

  private static void check(PassthroughConf oldConf, PassthroughConf newConf, List<Case> cases) {
    EgressDiff diff = EgressDiff.between(oldConf, newConf);
    for (Case c : cases) {
      boolean widened =
          diff.widened().stream().anyMatch(k -> ClassMembership.contains(k, c.connection()));
      boolean narrowed =
          diff.narrowed().stream().anyMatch(k -> ClassMembership.contains(k, c.connection()));
      Where reported = widened ? Where.WIDENED : narrowed ? Where.NARROWED : Where.NOWHERE;
      boolean before = PolicyIntent.of(oldConf).judge(c.connection()).isAllowed();
      boolean after = PolicyIntent.of(newConf).judge(c.connection()).isAllowed();
      Where intended = before == after ? Where.NOWHERE : after ? Where.WIDENED : Where.NARROWED;
      assertThat(List.of(reported, intended))
          .as("%s in %s and %s", c.connection(), diff.widened(), diff.narrowed())
          .containsExactly(c.expected(), c.expected());
    }
  }

  private static Destination domain(String name) {
    return Destination.of(MatchType.DOMAIN, name);
  }

  private static Destination cidr(String value) {
    return Destination.of(MatchType.CIDR, value);
  }

  private static Destination ip(String value) {
    return Destination.of(MatchType.IP, value);
  }

  private static PassthroughConf matched(Match... matches) {
    return PassthroughConf.of(PassthroughMode.MATCHED, List.of(matches));
  }

  private enum Where {
    WIDENED,
    NARROWED,
    NOWHERE
  }

  private record Case(Connection connection, Where expected) {}
}
