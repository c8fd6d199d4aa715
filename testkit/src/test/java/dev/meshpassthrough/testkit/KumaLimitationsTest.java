package dev.meshpassthrough.testkit;

import static dev.meshpassthrough.testkit.Connection.http;
import static dev.meshpassthrough.testkit.Connection.http10;
import static dev.meshpassthrough.testkit.Connection.mysql;
import static dev.meshpassthrough.testkit.Connection.tcp;
import static dev.meshpassthrough.testkit.Connection.tls;
import static dev.meshpassthrough.testkit.PolicyAssertions.assertThatPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The minimal example of each {@link KumaLimitation}, as the README shows them: the policy allows
 * the connection, Kuma's Envoy configuration does not, and the explanation names the limitation;
 * and Kuma's end-to-end facts, which both profiles keep.
 */
class KumaLimitationsTest {

  /**
   * One limitation's minimal example: a policy, and a connection it allows that Kuma's Envoy does
   * not pass.
   */
  record Example(
      KumaLimitation limitation, List<Match> policy, Connection connection, String evidence) {
    @Override
    public String toString() {
      return limitation.id();
    }
  }

  static Stream<Example> examples() {
    return Stream.of(
        new Example(
            KumaLimitation.SERVER_FIRST_STALLS,
            List.of(Match.of(ip("10.0.0.5"), 25, Protocol.TCP)),
            mysql("10.0.0.5", 25),
            "closed after 15 s: envoy.filters.listener.tls_inspector waited"),
        new Example(
            KumaLimitation.HTTP_1_0_REFUSED,
            List.of(Match.of(domain("httpbin.org"), 80, Protocol.HTTP)),
            http10("httpbin.org", 80),
            "application protocols http/1.0: no match among application protocols [http/1.1, h2c]"),
        new Example(
            KumaLimitation.HOST_PORT_NOT_LISTED,
            List.of(Match.of(domain("api.example.com"), 80, Protocol.HTTP)),
            http("api.example.com", 80).withHost("api.example.com:8080"),
            "Host 'api.example.com:8080': catch-all domain '*' of virtual host no_match"),
        new Example(
            KumaLimitation.HOSTLESS_REQUEST_REFUSED,
            List.of(Match.of(ip("10.0.0.5"), 80, Protocol.HTTP)),
            http("10.0.0.5", 80).withoutHost(),
            "400: the request has no Host"),
        new Example(
            KumaLimitation.IP_BRANCH_HIDES_RULES,
            List.of(
                Match.of(domain("api.example.com"), 443, Protocol.TLS),
                Match.of(cidr("10.0.0.0/8"), 443, Protocol.TCP)),
            tls("api.example.com", 443).dialing("10.1.2.3"),
            "less specific, never considered: catch-all (meshpassthrough_tls_api.example.com_443)"),
        new Example(
            KumaLimitation.INSPECTORS_OFF_ON_MYSQL_PORT,
            List.of(
                Match.of(ip("10.0.0.7"), 3306, Protocol.MYSQL),
                Match.of(domain("db.example.com"), 3306, Protocol.TLS)),
            tls("db.example.com", 3306),
            "envoy.filters.listener.tls_inspector: disabled, its filter_disabled predicate holds for port 3306"),
        new Example(
            KumaLimitation.TLS_ON_TCP_RULE,
            List.of(Match.of(cidr("10.0.0.0/8"), 443, Protocol.TCP)),
            tls("10.1.2.3", 443),
            "transport protocol tls: no match among transport protocols [raw_buffer]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void underTheKumaProfile_thePolicyAllowsIt_envoyDoesNot_andTheLimitationIsNamed(Example example) {
    Explanation explanation =
        explain(TranslationProfile.KUMA, example.policy(), example.connection());

    assertThat(explanation.intent().verdict()).as(explanation.toText()).isEqualTo(Verdict.ALLOW);
    assertThat(explanation.decision().verdict()).as(explanation.toText()).isEqualTo(Verdict.DENY);
    assertThat(explanation.knownLimitation())
        .as(explanation.toText())
        .contains(example.limitation());
    assertThat(explanation.decision().traceText()).contains(example.evidence());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void underTheExactProfile_envoyAllowsIt(Example example) {
    Explanation explanation =
        explain(TranslationProfile.EXACT, example.policy(), example.connection());

    assertThat(explanation.agrees()).as(explanation.toText()).isTrue();
    assertThat(explanation.knownLimitation()).isEmpty();
  }

  @Test
  void everyLimitation_hasAnExample() {
    assertThat(examples().map(Example::limitation))
        .containsExactlyInAnyOrder(KumaLimitation.values());
  }

  @Test
  void aTcpRule_stillTakesOpaqueBytes() {
    assertThat(
            explain(
                    TranslationProfile.KUMA,
                    List.of(Match.of(cidr("10.0.0.0/8"), 443, Protocol.TCP)),
                    tcp("10.1.2.3", 443))
                .agrees())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(TranslationProfile.class)
  void e2e_modeNone_closesHttpToAFormerDestination(TranslationProfile profile) {
    assertThatPolicy(
            """
        type: MeshPassthrough
        name: none
        mesh: default
        spec:
          targetRef: {kind: Mesh}
          default: {passthroughMode: None}
        """)
        .usingProfile(profile)
        .denies(http("httpbin.org", 80), tcp("93.184.216.34", 443))
        .agreesWithIntentOn(http("httpbin.org", 80));
  }

  @ParameterizedTest
  @EnumSource(TranslationProfile.class)
  void e2e_matchedHttpDomainAndIp_otherIpsAndDomainsGet503(TranslationProfile profile) {
    PolicyAssert policy =
        assertThatPolicy(
                """
        type: MeshPassthrough
        name: matched
        mesh: default
        spec:
          targetRef: {kind: Mesh}
          default:
            passthroughMode: Matched
            appendMatch:
            - {type: Domain, value: external-service.example.com, port: 80, protocol: http}
            - {type: IP, value: 10.96.0.20, port: 80, protocol: http}
        """)
            .usingProfile(profile);

    policy
        .allows(http("external-service.example.com", 80), http("10.96.0.20", 80))
        .respondsWith(503, http("10.96.0.21", 80), http("other.example.com", 80))
        .agreesWithIntentOn(http("10.96.0.21", 80), http("other.example.com", 80));
  }

  private static Explanation explain(
      TranslationProfile profile, List<Match> matches, Connection connection) {
    return PolicySimulation.translate(
            PassthroughConf.of(PassthroughMode.MATCHED, matches),
            profile,
            ProxyContext.defaultTransparentProxy())
        .explain(connection);
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
