package dev.meshpassthrough.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.FieldPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationTest {

  @ParameterizedTest(name = "{0} -> {1}/{2}")
  @CsvSource({
    "10.1.2.3/16, 10.1.0.0, 16, true",
    "10.250.0.0/16, 10.250.0.0, 16, false",
    "172.12.2.2/24, 172.12.2.0, 24, true",
    "0.0.0.0/0, 0.0.0.0, 0, false",
    "2001:db8::1/32, 2001:db8::, 32, true",
    "2001:db8::/128, 2001:db8::, 128, false",
  })
  void cidr_knowsItsNetworkAndHostBits(
      String written, String network, int prefix, boolean hostBits) {
    Destination.Cidr cidr = Destination.Cidr.parse(written);
    assertThat(cidr.networkText()).isEqualTo(network);
    assertThat(cidr.prefixLength()).isEqualTo(prefix);
    assertThat(cidr.hasHostBits()).isEqualTo(hostBits);
    assertThat(cidr.value()).isEqualTo(written);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "IP, 10.0.0.1, 10.0.0.1/32",
    "IP, 2001:0DB8::1, 2001:db8::1/128",
    "IP, ::ffff:10.0.0.1, 10.0.0.1/128",
    "CIDR, 10.1.2.3/16, 10.1.0.0/16",
    "CIDR, 2001:db8::1/32, 2001:db8::/32",
  })
  void addresses_knowTheNetworkEnvoyMatches(MatchType type, String value, String network) {
    Destination destination = Destination.of(type, value);
    assertThat(destination.isDomain()).isFalse();
    assertThat(destination.ipNetwork()).map(IpNetwork::toString).hasValue(network);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "*.example.com"})
  void domains_haveNoNetwork(String value) {
    Destination destination = Destination.of(MatchType.DOMAIN, value);
    assertThat(destination.isDomain()).isTrue();
    assertThat(destination.ipNetwork()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/-1",
        "10.0.0.0/",
        "10.0.0.0",
        "10.0.0.0/08",
        "x/8",
        "fe80::1%eth0/64"
      })
  void badCidrs_doNotParse(String text) {
    assertThat(Destination.Cidr.tryParse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"010.1.1.1", "1.2.3", "256.1.1.1", "1.2.3.4.5", "example.com", ""})
  void badIps_doNotParse(String text) {
    assertThat(IpLiteral.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\uFF110.0.0.1",
        "\u0661\u0660.\u0660.\u0660.\u0662",
        "2001:db8::\uFF11",
        "2001:\uFF44b8::1",
        "10.0.0.\u0967"
      })
  void nonAsciiDigits_areNotAddresses_thoughGuavaReadsThemAsAscii(String text) {
    assertThat(com.google.common.net.InetAddresses.isInetAddress(text)).isTrue(); // the trap
    assertThat(IpLiteral.parse(text)).isEmpty();
    assertThat(Destination.Cidr.tryParse(text + "/32")).isEmpty();
    assertThatThrownBy(() -> Destination.of(MatchType.IP, text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonAscii_namesTheFirstOffendingCharacterAndItsPosition() {
    assertThat(IpLiteral.nonAscii("\uFF110.0.0.1"))
        .hasValue("U+FF11 FULLWIDTH DIGIT ONE at position 1");
    assertThat(IpLiteral.nonAscii("2001:\uFF44b8::1"))
        .hasValue("U+FF44 FULLWIDTH LATIN SMALL LETTER D at position 6");
    assertThat(IpLiteral.nonAscii("\uD83D\uDE00.1"))
        .hasValue("U+1F600 GRINNING FACE at position 1");
    assertThat(IpLiteral.nonAscii("10.0.0.1")).isEmpty();
  }

  @Test
  void ipLiterals_knowTheirFamilyCanonicalFormAndOddities() {
    assertThat(IpLiteral.parse("2001:0db8:0:0:0:0:0:1").orElseThrow().canonical())
        .isEqualTo("2001:db8::1");
    assertThat(IpLiteral.parse("10.0.0.1").orElseThrow().family()).isEqualTo(IpFamily.IPV4);
    IpLiteral mapped = IpLiteral.parse("::ffff:10.0.0.1").orElseThrow();
    assertThat(mapped.ipv4Mapped()).isTrue();
    assertThat(mapped.family()).isEqualTo(IpFamily.IPV6);
    assertThat(IpLiteral.parse("fe80::1%eth0").orElseThrow().zoneId()).isTrue();
    assertThat(IpLiteral.hasLeadingZeroPart("010.1.1.1")).isTrue();
    assertThat(IpLiteral.hasLeadingZeroPart("10.1.1.1")).isFalse();
  }

  @Test
  void domainRecords_enforceTheStrictSyntax() {
    assertThat(Destination.of(MatchType.DOMAIN, "*.example.com"))
        .isEqualTo(new Destination.WildcardDomain("example.com"));
    assertThat(Destination.of(MatchType.DOMAIN, "*.example.com").value())
        .isEqualTo("*.example.com");
    assertThatThrownBy(() -> new Destination.Domain("a..b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Destination.of(MatchType.DOMAIN, "*.*.x.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Destination.Domain("1.2.3.4")).hasMessageContaining("use type IP");
    assertThat(HostnameSyntax.problemWithWildcard("*")).isPresent();
    assertThat(HostnameSyntax.problem("example.com.")).isPresent();
    assertThat(HostnameSyntax.problem("bücher.de")).get().asString().contains("punycode");
  }

  @Test
  void port_isLimitedTo1Through65535() {
    assertThat(Port.of(1).value()).isEqualTo(1);
    assertThat(Port.of(65535).value()).isEqualTo(65535);
    assertThatThrownBy(() -> Port.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Port.of(65536)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enums_readOnlyTheirExactWireNames() {
    assertThat(Protocol.fromWireName("http2")).contains(Protocol.HTTP2);
    assertThat(Protocol.fromWireName("HTTP")).isEmpty();
    assertThat(PassthroughMode.fromWireName("Matched")).contains(PassthroughMode.MATCHED);
    assertThat(MatchType.fromWireName("CIDR")).contains(MatchType.CIDR);
    assertThat(Protocol.GRPC.isLayer7()).isTrue();
    assertThat(Protocol.MYSQL.isLayer7()).isFalse();
  }

  @Test
  void fieldPaths_renderAndSortByIndexNumerically() {
    FieldPath base = FieldPath.of("spec", "default", "appendMatch");
    assertThat(base.index(3).field("port").toString())
        .isEqualTo("spec.default.appendMatch[3].port");
    List<FieldPath> paths =
        new ArrayList<>(List.of(base.index(10), base.index(2), FieldPath.of("spec", "targetRef")));
    paths.sort(null);
    assertThat(paths)
        .containsExactly(base.index(2), base.index(10), FieldPath.of("spec", "targetRef"));
    assertThat(base.index(2).field("value").startsWith(base.index(2))).isTrue();
    assertThat(base.index(2).parent()).isEqualTo(base);
  }

  @Test
  void conf_defaultsTheModeToMatchedAndTheMatchesToEmpty() {
    assertThat(PassthroughConf.empty().effectiveMode()).isEqualTo(PassthroughMode.MATCHED);
    assertThat(PassthroughConf.empty().matches()).isEmpty();
    Match match = Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 80, Protocol.TCP);
    assertThat(match.toString()).isEqualTo("IP 10.0.0.1:80/tcp");
  }
}
