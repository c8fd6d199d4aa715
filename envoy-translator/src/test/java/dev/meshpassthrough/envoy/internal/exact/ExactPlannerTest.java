package dev.meshpassthrough.envoy.internal.exact;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Protocol;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ExactPlannerTest {

  private static Match match(MatchType type, String value, Integer port, Protocol protocol) {
    Destination destination = Destination.of(type, value);
    return port == null
        ? Match.onEveryPort(destination, protocol)
        : Match.of(destination, port, protocol);
  }

  private static List<String> describe(ExactPlanner.ListenerPlan plan) {
    return plan.chains().stream()
        .map(
            c ->
                c.port().map(p -> String.valueOf(p.value())).orElse("*")
                    + " "
                    + c.node().map(Network::toString).orElse("*")
                    + " "
                    + leaf(c.leaf()))
        .toList();
  }

  private static String leaf(ExactLeaf.Leaf leaf) {
    if (leaf instanceof ExactLeaf.AnyTraffic any) {
      return "any->" + any.entry().index();
    } else if (leaf instanceof ExactLeaf.TlsServerName tls) {
      return "tls:" + tls.serverName() + "->" + tls.entry().index();
    } else if (leaf instanceof ExactLeaf.AnyTls tls) {
      return "tls->" + tls.entry().index();
    } else if (leaf instanceof ExactLeaf.AnyHttp http) {
      return "http->" + http.entry().index();
    }
    ExactLeaf.Http http = (ExactLeaf.Http) leaf;
    return "http"
        + http.hosts().stream().map(h -> h.domain() + "->" + h.entry().index()).toList()
        + "/503";
  }

  @Test
  void domainAndCidrOnOnePort_copyTheDomainIntoTheCidrNode() {
    // docs/envoy-behaviour.md#legacy-filter-chain-selection (S3): TLS to api.example.com resolving
    // into 10/8 must still pass.
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.DOMAIN, "api.example.com", 443, Protocol.TLS),
                match(MatchType.CIDR, "10.0.0.0/8", 443, Protocol.HTTP)),
            IpFamily.IPV4);
    assertThat(describe(plan))
        .containsExactly(
            "443 10.0.0.0/8 tls:api.example.com->0",
            "443 10.0.0.0/8 http->1",
            "443 * tls:api.example.com->0");
  }

  @Test
  void portlessCidr_isCopiedIntoEveryNamedPort() {
    // §1.4 C: non-HTTP TCP to 10.1.2.3:80 must reach the port-less CIDR rule.
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.CIDR, "10.0.0.0/8", null, Protocol.TCP),
                match(MatchType.DOMAIN, "api.example.com", 80, Protocol.HTTP)),
            IpFamily.IPV4);
    assertThat(describe(plan))
        .containsExactly(
            "80 10.0.0.0/8 any->0", "80 * http[api.example.com->1]/503", "* 10.0.0.0/8 any->0");
    assertThat(plan.inspection().namedPorts()).containsExactly(80);
    assertThat(plan.inspection().reach()).isEqualTo(Inspection.Reach.NAMED_PORTS);
  }

  @Test
  void nestedNetworks_carryTheEntriesOfEveryNetworkContainingThem() {
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.CIDR, "10.0.0.0/8", 443, Protocol.TLS),
                match(MatchType.IP, "10.1.2.3", 443, Protocol.HTTP),
                match(MatchType.CIDR, "0.0.0.0/0", 443, Protocol.HTTP)),
            IpFamily.IPV4);
    assertThat(describe(plan))
        .containsExactly(
            "443 10.1.2.3/32 tls->0",
            "443 10.1.2.3/32 http->1",
            "443 10.0.0.0/8 tls->0",
            "443 10.0.0.0/8 http->2",
            "443 * http->2");
  }

  @Test
  void anHttpIpRule_coveringTheNode_forwardsWithoutParsingRequests_evenBesideDomains() {
    // Issue 12 §3b.3: an HTTP connection manager answers 400 to a request without Host, which the
    // IP rule allows. Any Host passes there, so the node needs no Host decision.
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.IP, "10.0.0.1", 80, Protocol.HTTP),
                match(MatchType.DOMAIN, "api.example.com", 80, Protocol.HTTP)),
            IpFamily.IPV4);
    assertThat(describe(plan))
        .containsExactly("80 10.0.0.1/32 http->0", "80 * http[api.example.com->1]/503");
  }

  @Test
  void entriesOfTheOtherFamily_stayOff() {
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.IP, "2001:db8::1", 443, Protocol.TCP),
                match(MatchType.DOMAIN, "*.example.com", 443, Protocol.TLS)),
            IpFamily.IPV4);
    assertThat(describe(plan)).containsExactly("443 * tls:*.example.com->1");
    assertThat(
            describe(
                ExactPlanner.plan(
                    List.of(match(MatchType.IP, "2001:db8::1", 443, Protocol.TCP)), IpFamily.IPV4)))
        .isEmpty();
  }

  @Test
  void sameNameInTwoSpellings_getsOneChain_thePortSpecificEntryWins() {
    ExactPlanner.ListenerPlan plan =
        ExactPlanner.plan(
            List.of(
                match(MatchType.DOMAIN, "API.example.com", 443, Protocol.TLS),
                match(MatchType.DOMAIN, "api.example.com", null, Protocol.TLS)),
            IpFamily.IPV4);
    assertThat(describe(plan))
        .containsExactly("443 * tls:api.example.com->0", "* * tls:api.example.com->1");
    assertThat(plan.inspection().reach()).isEqualTo(Inspection.Reach.EVERY_PORT);
  }

  @Test
  void networks_knowContainmentAndTheirText() {
    Network wide = Network.of(Destination.of(MatchType.CIDR, "10.1.2.3/8")).orElseThrow();
    Network narrow = Network.of(Destination.of(MatchType.IP, "10.9.9.9")).orElseThrow();
    assertThat(wide.toString()).isEqualTo("10.0.0.0/8");
    assertThat(wide.contains(narrow)).isTrue();
    assertThat(narrow.contains(wide)).isFalse();
    Network mapped = Network.of(Destination.of(MatchType.IP, "::ffff:10.0.0.1")).orElseThrow();
    assertThat(mapped.family()).isEqualTo(IpFamily.IPV6);
    assertThat(mapped.addressText()).isEqualTo("::ffff:a00:1");
    assertThat(
            Network.of(Destination.of(MatchType.CIDR, "2001:db8::1/32")).orElseThrow().toString())
        .isEqualTo("2001:db8::/32");
    assertThat(Network.of(Destination.of(MatchType.DOMAIN, "example.com")))
        .isEqualTo(Optional.empty());
  }

  @Property(tries = 500)
  void ipv4Text_isGuavasText(@ForAll int address, @ForAll @IntRange(max = 32) int prefixLength) {
    InetAddress inet = InetAddresses.fromInteger(address);
    Network network =
        Network.of(
                Destination.of(
                    MatchType.CIDR, InetAddresses.toAddrString(inet) + "/" + prefixLength))
            .orElseThrow();
    int masked = prefixLength == 0 ? 0 : address & (-1 << (32 - prefixLength));

    assertThat(Network.dottedQuad(address)).isEqualTo(InetAddresses.toAddrString(inet));
    assertThat(network.addressText())
        .isEqualTo(InetAddresses.toAddrString(InetAddresses.fromInteger(masked)));
  }

  @Property(tries = 2000)
  void ipv6Text_isGuavasText(@ForAll("ipv6") byte[] bytes) throws Exception {
    InetAddress inet = java.net.Inet6Address.getByAddress(null, bytes, -1);

    assertThat(Network.hextets(new java.math.BigInteger(1, bytes)))
        .isEqualTo(InetAddresses.toAddrString(inet));
  }

  @Provide
  net.jqwik.api.Arbitrary<byte[]> ipv6() {
    // Mostly zero hextets, so that runs of every length and position (ties too) come up; the
    // IPv4-mapped and IPv4-compatible forms among them.
    net.jqwik.api.Arbitrary<Integer> hextet =
        net.jqwik.api.Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, net.jqwik.api.Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, net.jqwik.api.Arbitraries.just(0xffff)),
            net.jqwik.api.Tuple.of(3, net.jqwik.api.Arbitraries.integers().between(1, 0xffff)));
    return hextet
        .list()
        .ofSize(8)
        .map(
            list -> {
              byte[] out = new byte[16];
              for (int i = 0; i < 8; i++) {
                out[2 * i] = (byte) (list.get(i) >>> 8);
                out[2 * i + 1] = (byte) (int) list.get(i);
              }
              return out;
            });
  }

  @Test
  void tablesBeyondTheBound_areRefused_notBuilt() {
    List<Match> matches = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      matches.add(match(MatchType.DOMAIN, "svc" + i + ".example.com", null, Protocol.TLS));
    }
    for (int port = 1; port <= 300; port++) {
      matches.add(match(MatchType.IP, "10.0.0.1", port, Protocol.TCP));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ExactPlanner.plan(matches, IpFamily.IPV4))
        .isInstanceOf(dev.meshpassthrough.envoy.TranslationException.class)
        .hasMessageContaining("more than 100000 filter chains");
  }

  @Test
  void entriesMeetingAtOneLeaf_pickTheSameClusterWhateverTheirOrder() {
    // Found by the hostile-input fuzzing: the cluster used to depend on which entry came first.
    Match ported = match(MatchType.IP, "1.2.3.4", 3, Protocol.TCP);
    Match portless = match(MatchType.IP, "1.2.3.4", null, Protocol.TCP);
    assertThat(describe(ExactPlanner.plan(List.of(ported, portless), IpFamily.IPV4)))
        .containsExactly("3 1.2.3.4/32 any->0", "* 1.2.3.4/32 any->1");
    assertThat(describe(ExactPlanner.plan(List.of(portless, ported), IpFamily.IPV4)))
        .containsExactly("3 1.2.3.4/32 any->1", "* 1.2.3.4/32 any->0");
  }
}
