package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.model.Match;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What {@link PolicySuggester} makes of connections: entries, counts, wildcards, networks. */
class PolicySuggesterTest {

  @Test
  void eachConnection_needsTheEntryOfWhatItSent() {
    PolicySuggester.Suggestion s =
        suggest(
            PolicySuggester.Options.defaults(),
            "tls,192.0.2.1,443,Api.Example.Com",
            "tls,192.0.2.2,443,",
            "tls,192.0.2.3,443,a..example.com",
            "http,192.0.2.4,80,web.example.com:8080",
            "http,192.0.2.5,80,192.0.2.5",
            "http,192.0.2.6,80,",
            "http2,192.0.2.7,8080,h2.example.com",
            "grpc,192.0.2.8,9090,rpc.example.com:9090",
            "grpc,192.0.2.9,9090,",
            "tcp,10.0.0.1,5432,",
            "mysql,10.0.0.2,3306,",
            "tcp,2001:db8::1,5432,");

    assertThat(entries(s))
        .containsExactly(
            "Domain api.example.com:443/tls",
            "Domain h2.example.com:8080/http2",
            "Domain rpc.example.com:9090/grpc",
            "Domain web.example.com:80/http",
            "IP 10.0.0.1:5432/tcp",
            "IP 10.0.0.2:3306/mysql",
            "IP 192.0.2.2:443/tls",
            "IP 192.0.2.3:443/tls",
            "IP 192.0.2.5:80/http",
            "IP 192.0.2.6:80/http",
            "IP 192.0.2.9:9090/grpc",
            "IP 2001:db8::1:5432/tcp");
    assertThat(s.notes()).isEmpty();
    assertThat(s.connections()).isEqualTo(12);
  }

  @Test
  void minCount_leavesOutRareEntries_andListsThemWithTheirCounts() {
    PolicySuggester.Suggestion s =
        suggest(
            new PolicySuggester.Options(
                2, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()),
            "tls,192.0.2.1,443,api.example.com",
            "tls,192.0.2.2,443,api.example.com",
            "tls,192.0.2.3,443,rare.example.com",
            "tcp,10.0.0.1,5432,");

    assertThat(entries(s)).containsExactly("Domain api.example.com:443/tls");
    assertThat(s.leftOut())
        .extracting(l -> l.entry() + " x" + l.count())
        .containsExactly("Domain rare.example.com:443/tls x1", "IP 10.0.0.1:5432/tcp x1");
    assertThat(s.leftOutConnections()).isEqualTo(2);
  }

  @Test
  void siblings_becomeAWildcard_theApexStays_andNamesBelowItGo() {
    PolicySuggester.Suggestion s =
        suggest(
            wildcards(3),
            "tls,192.0.2.1,443,a.example.com",
            "tls,192.0.2.1,443,b.example.com",
            "tls,192.0.2.1,443,c.example.com",
            "tls,192.0.2.1,443,deep.c.example.com",
            "tls,192.0.2.1,443,example.com",
            "tls,192.0.2.1,443,x.example.org",
            "tls,192.0.2.1,443,y.example.org",
            "http,192.0.2.1,80,a.example.com");

    assertThat(entries(s))
        .containsExactly(
            "Domain *.example.com:443/tls",
            "Domain a.example.com:80/http",
            "Domain example.com:443/tls",
            "Domain x.example.org:443/tls",
            "Domain y.example.org:443/tls");
    assertThat(s.notes())
        .containsExactly("*.example.com (443/tls) replaces 4 names (3 siblings seen)");
  }

  @Test
  void publicSuffixes_andParentsOutsideOne_areNeverWildcarded() {
    PolicySuggester.Suggestion s =
        suggest(
            wildcards(2),
            "tls,192.0.2.1,443,alice.github.io",
            "tls,192.0.2.1,443,bob.github.io",
            "tls,192.0.2.1,443,one.com",
            "tls,192.0.2.1,443,two.com",
            "tls,192.0.2.1,443,x.co.uk",
            "tls,192.0.2.1,443,y.co.uk",
            "tls,192.0.2.1,443,a.svc.cluster.local",
            "tls,192.0.2.1,443,b.svc.cluster.local",
            "tls,192.0.2.1,443,shop.example.co.uk",
            "tls,192.0.2.1,443,blog.example.co.uk");

    assertThat(entries(s))
        .containsExactly(
            "Domain *.example.co.uk:443/tls",
            "Domain a.svc.cluster.local:443/tls",
            "Domain alice.github.io:443/tls",
            "Domain b.svc.cluster.local:443/tls",
            "Domain bob.github.io:443/tls",
            "Domain one.com:443/tls",
            "Domain two.com:443/tls",
            "Domain x.co.uk:443/tls",
            "Domain y.co.uk:443/tls");
  }

  @Test
  void addresses_becomeTheSmallestCoveringNetworks_perFamilyFlag() {
    PolicySuggester.Suggestion v4Only =
        suggest(
            new PolicySuggester.Options(
                1, OptionalInt.empty(), OptionalInt.of(24), OptionalInt.empty()),
            "tcp,10.0.0.5,5432,",
            "tcp,10.0.0.9,5432,",
            "tcp,10.0.1.7,5432,",
            "mysql,10.0.0.6,5432,",
            "tcp,2001:db8::5,5432,",
            "tcp,2001:db8::7,5432,");
    PolicySuggester.Suggestion both =
        suggest(
            new PolicySuggester.Options(
                1, OptionalInt.empty(), OptionalInt.of(24), OptionalInt.of(64)),
            "tcp,2001:db8::5,5432,",
            "tcp,2001:db8::7,5432,",
            "tcp,2001:db8:1::1,5432,");

    assertThat(entries(v4Only))
        .containsExactly(
            "IP 10.0.0.6:5432/mysql",
            "IP 10.0.1.7:5432/tcp",
            "IP 2001:db8::5:5432/tcp",
            "IP 2001:db8::7:5432/tcp",
            "CIDR 10.0.0.0/28:5432/tcp");
    assertThat(v4Only.notes()).containsExactly("10.0.0.0/28 (5432/tcp) replaces 2 addresses");
    assertThat(entries(both))
        .containsExactly("IP 2001:db8:1::1:5432/tcp", "CIDR 2001:db8::4/126:5432/tcp");
  }

  @Test
  void aPortKumaWouldRefuse_isWidened_andSaysSo() {
    PolicySuggester.Suggestion s =
        suggest(
            PolicySuggester.Options.defaults(),
            "http2,192.0.2.1,8080,a.example.com",
            "grpc,192.0.2.1,8080,b.example.com",
            "http,192.0.2.2,9000,metrics.example.com",
            "tls,192.0.2.3,9000,metrics.example.com",
            "tcp,192.0.2.3,9000,",
            "tcp,10.0.0.1,3306,",
            "mysql,10.0.0.1,3306,",
            "tcp,10.0.0.2,3306,");

    assertThat(entries(s))
        .containsExactly(
            "Domain a.example.com:8080/http2",
            "Domain b.example.com:8080/http2",
            "IP 10.0.0.1:3306/mysql",
            "IP 10.0.0.2:3306/tcp",
            "IP 192.0.2.2:9000/tcp",
            "IP 192.0.2.3:9000/tcp");
    assertThat(s.notes())
        .containsExactly(
            "port 3306: tcp and mysql seen on 10.0.0.1; Envoy cannot tell their chains apart, so"
                + " the mysql entry allows both",
            "port 8080: grpc and http2 seen; Kuma allows one of http, http2 and grpc on a port, so"
                + " http2 entries allow both (gRPC is h2c)",
            "port 9000: tcp, tls, http seen; Kuma allows no other protocol on a port beside http,"
                + " http2 or grpc, so every connection to it is allowed by its dialed address with"
                + " tcp");
  }

  @Test
  void entries_areSortedByTypeValuePortAndProtocol_addressesByNumber() {
    assertThat(
            entries(
                suggest(
                    PolicySuggester.Options.defaults(),
                    "tcp,2001:db8::1,1,",
                    "tcp,10.0.0.10,1,",
                    "tcp,10.0.0.9,2,",
                    "tcp,10.0.0.9,1,",
                    "tls,10.0.0.9,1,",
                    "tls,10.0.0.1,443,b.example.com",
                    "tls,10.0.0.1,443,a.example.com")))
        .containsExactly(
            "Domain a.example.com:443/tls",
            "Domain b.example.com:443/tls",
            "IP 10.0.0.9:1/tcp",
            "IP 10.0.0.9:1/tls",
            "IP 10.0.0.9:2/tcp",
            "IP 10.0.0.10:1/tcp",
            "IP 2001:db8::1:1/tcp");
  }

  @Test
  void options_outOfRange_areRefused() {
    OptionalInt none = OptionalInt.empty();
    assertThatThrownBy(() -> new PolicySuggester.Options(0, none, none, none))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new PolicySuggester.Options(1, OptionalInt.of(1), none, none))
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> new PolicySuggester.Options(1, none, OptionalInt.of(33), none))
        .hasMessageContaining("0-32");
    assertThatThrownBy(() -> new PolicySuggester.Options(1, none, none, OptionalInt.of(129)))
        .hasMessageContaining("0-128");
  }

  private static PolicySuggester.Options wildcards(int threshold) {
    return new PolicySuggester.Options(
        1, OptionalInt.of(threshold), OptionalInt.empty(), OptionalInt.empty());
  }

  /** The suggestion for CSV lines. */
  static PolicySuggester.Suggestion suggest(PolicySuggester.Options options, String... csv) {
    PolicySuggester suggester = PolicySuggester.of(options);
    CsvFormat format = new CsvFormat();
    for (String line : csv) {
      ConnectionFormat.ParsedLine parsed = format.parse(line);
      assertThat(parsed).as(line).isInstanceOf(ConnectionFormat.ParsedLine.Parsed.class);
      suggester.accept(((ConnectionFormat.ParsedLine.Parsed) parsed).connection());
    }
    return suggester.suggest();
  }

  private static List<String> entries(PolicySuggester.Suggestion s) {
    return s.conf().matches().stream().map(Match::toString).toList();
  }
}
