package dev.meshpassthrough.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Worked examples of {@link EgressDiff}: the tricky cuts of the connection space, read through
 * {@link EgressClass#describe()}. The exactness of the classes is proved against the testkit's
 * intent by testkit's {@code EgressDiffPropertiesTest}.
 */
class EgressDiffTest {

  @Test
  void wildcardReplacingItsApex_widensTheSubdomains_andNarrowsTheApex() {
    EgressDiff diff =
        EgressDiff.between(
            matched(entry("Domain", "example.com", 443, Protocol.TLS)),
            matched(entry("Domain", "*.example.com", 443, Protocol.TLS)));

    assertThat(texts(diff.widened()))
        .containsExactly(
            "tls with SNI *.example.com (not the apex) to port 443, any dialed address");
    assertThat(texts(diff.narrowed()))
        .containsExactly("tls with SNI example.com to port 443, any dialed address");
    assertThat(diff.unchanged()).isFalse();
  }

  @Test
  void wildcardOverAnExactName_widensTheWildcardExceptThatName() {
    EgressDiff diff =
        EgressDiff.between(
            matched(entry("Domain", "api.example.com", 443, Protocol.TLS)),
            matched(
                entry("Domain", "api.example.com", 443, Protocol.TLS),
                entry("Domain", "*.example.com", 443, Protocol.TLS)));

    assertThat(diff.widened())
        .containsExactly(
            new EgressClass(
                Traffic.TLS,
                new NameSet(
                    NameSet.Kind.WILDCARD,
                    Optional.of("*.example.com"),
                    List.of("api.example.com")),
                new PortSet(Optional.of(Port.of(443)), List.of()),
                new AddressSet(Optional.empty(), Optional.empty(), List.of())));
    assertThat(texts(diff.widened()))
        .containsExactly(
            "tls with SNI *.example.com (not the apex) except api.example.com to port 443,"
                + " any dialed address");
    assertThat(diff.noEffect())
        .extracting(NoEffectEntry::toString)
        .containsExactly("new appendMatch[0] Domain api.example.com:443/tls");
  }

  @Test
  void narrowerNestedCidr_narrowsTheOuterNetworkExceptTheInnerOne() {
    EgressDiff diff =
        EgressDiff.between(
            matched(entry("CIDR", "10.0.0.0/8", 5432, Protocol.TCP)),
            matched(entry("CIDR", "10.1.0.0/16", 5432, Protocol.TCP)));

    assertThat(diff.widened()).isEmpty();
    assertThat(texts(diff.narrowed()))
        .containsExactly("any traffic to 10.0.0.0/8 except 10.1.0.0/16, port 5432");
    assertThat(diff.narrowed().get(0).address().family()).contains(IpFamily.IPV4);
  }

  @Test
  void removedDatabaseNetwork_isNewlyDenied_forAnyTraffic() {
    EgressDiff diff =
        EgressDiff.between(
            matched(
                entry("CIDR", "10.0.0.0/8", 5432, Protocol.TCP),
                entry("Domain", "api.example.com", 443, Protocol.TLS)),
            matched(entry("Domain", "api.example.com", 443, Protocol.TLS)));

    assertThat(texts(diff.narrowed())).containsExactly("any traffic to 10.0.0.0/8 port 5432");
  }

  @Test
  void portedEntryReplacingAPortlessOne_narrowsEveryOtherPort() {
    EgressDiff diff =
        EgressDiff.between(
            matched(Match.onEveryPort(Destination.of(MatchType.IP, "10.0.0.1"), Protocol.TCP)),
            matched(entry("IP", "10.0.0.1", 443, Protocol.TCP)));

    assertThat(texts(diff.narrowed())).containsExactly("any traffic to 10.0.0.1, any port but 443");
    assertThat(diff.narrowed().get(0).port().except()).containsExactly(Port.of(443));
  }

  @Test
  void tlsReplacingTcpOnTheSameAddress_narrowsHttpAndOtherTraffic() {
    EgressDiff diff =
        EgressDiff.between(
            matched(entry("IP", "10.0.0.1", 443, Protocol.TCP)),
            matched(entry("IP", "10.0.0.1", 443, Protocol.TLS)));

    assertThat(texts(diff.narrowed()))
        .containsExactly(
            "http with or without Host to 10.0.0.1 port 443",
            "other tcp (neither tls nor http) to 10.0.0.1 port 443");
  }

  @Test
  void ipv6Network_isWidenedInItsFamilyOnly() {
    EgressDiff diff =
        EgressDiff.between(
            matched(),
            matched(
                Match.onEveryPort(Destination.of(MatchType.CIDR, "2001:db8::/32"), Protocol.TLS)));

    assertThat(texts(diff.widened()))
        .containsExactly("tls with or without SNI to 2001:db8::/32, any port");
  }

  @Test
  void modeNone_narrowsEverythingTheOldEntriesAllowed_andItsEntriesHaveNoEffect() {
    Match entry = entry("Domain", "api.example.com", 443, Protocol.HTTP);
    EgressDiff diff =
        EgressDiff.between(
            matched(entry), PassthroughConf.of(PassthroughMode.NONE, List.of(entry)));

    assertThat(texts(diff.narrowed()))
        .containsExactly("http with Host api.example.com to port 443, any dialed address");
    assertThat(diff.noEffect())
        .extracting(NoEffectEntry::toString)
        .containsExactly("new appendMatch[0] Domain api.example.com:443/http");
  }

  @Test
  void modeAllReplacingMatched_widensEverythingElse() {
    EgressDiff diff =
        EgressDiff.between(
            matched(entry("Domain", "api.example.com", 443, Protocol.TLS)),
            PassthroughConf.of(PassthroughMode.ALL, List.of()));

    assertThat(texts(diff.widened()))
        .containsExactly(
            "any traffic to any port but 443, any dialed address",
            "tls without SNI or with SNI other than api.example.com to port 443, any dialed address",
            "http with or without Host to port 443, any dialed address",
            "other tcp (neither tls nor http) to port 443, any dialed address");
  }

  @Test
  void reorderedEntries_areUnchanged() {
    Match a = entry("Domain", "api.example.com", 443, Protocol.TLS);
    Match b = entry("CIDR", "10.0.0.0/8", 5432, Protocol.TCP);

    EgressDiff diff = EgressDiff.between(matched(a, b), matched(b, a));

    assertThat(diff.unchanged()).isTrue();
    assertThat(diff.widened()).isEmpty();
    assertThat(diff.narrowed()).isEmpty();
  }

  @Test
  void ipv4MappedAddress_coversNothing_andHasNoEffect() {
    Match mapped = entry("IP", "::ffff:10.0.0.1", 443, Protocol.TCP);

    EgressDiff diff = EgressDiff.between(matched(), matched(mapped));

    assertThat(diff.unchanged()).isTrue();
    assertThat(diff.noEffect()).extracting(NoEffectEntry::index).containsExactly(0);
  }

  @Test
  void forProxy_resolvesEachPolicySetForTheProxy_fromTheDefaultPassthroughWithoutPolicies() {
    MeshPassthroughPolicy lockdown =
        new MeshPassthroughPolicy(
            new PolicyMetadata(
                "egress",
                "default",
                Optional.empty(),
                new TreeMap<>(
                    Map.of(
                        "kuma.io/display-name", "egress",
                        "kuma.io/mesh", "default",
                        "kuma.io/origin", "zone",
                        "kuma.io/zone", "zone-1",
                        "kuma.io/env", "universal"))),
            TargetRef.mesh(),
            matched(entry("Domain", "api.example.com", 443, Protocol.TLS)));
    ProxyDescriptor proxy =
        ProxyDescriptor.builder("web", "default")
            .labels(
                Map.of(
                    "kuma.io/display-name", "web",
                    "kuma.io/mesh", "default",
                    "kuma.io/origin", "zone",
                    "kuma.io/zone", "zone-1"))
            .inbound(8080)
            .outbound(ProxyDescriptor.Outbound.TRANSPARENT_PROXY)
            .build();
    ControlPlaneContext zone = ControlPlaneContext.zone(KumaLine.V2);

    EgressDiff diff =
        EgressDiff.forProxy(PolicySet.of(List.of()), PolicySet.of(List.of(lockdown)), proxy, zone);
    System.err.println(
        dev.meshpassthrough.core.resolve.PolicyResolver.create()
            .resolve(PolicySet.of(List.of(lockdown)), proxy, zone));

    assertThat(diff.widened()).isEmpty();
    assertThat(texts(diff.narrowed()))
        .containsExactly(
            "any traffic to any port but 443, any dialed address",
            "tls without SNI or with SNI other than api.example.com to port 443, any dialed address",
            "http with or without Host to port 443, any dialed address",
            "other tcp (neither tls nor http) to port 443, any dialed address");
    assertThat(
            EgressDiff.forProxy(
                    PolicySet.of(List.of(lockdown)), PolicySet.of(List.of(lockdown)), proxy, zone)
                .unchanged())
        .isTrue();
  }

  private static Match entry(String type, String value, int port, Protocol protocol) {
    return Match.of(
        Destination.of(MatchType.fromWireName(type).orElseThrow(), value), port, protocol);
  }

  private static PassthroughConf matched(Match... matches) {
    return PassthroughConf.of(PassthroughMode.MATCHED, List.of(matches));
  }

  private static List<String> texts(List<EgressClass> classes) {
    return classes.stream().map(EgressClass::describe).toList();
  }
}
