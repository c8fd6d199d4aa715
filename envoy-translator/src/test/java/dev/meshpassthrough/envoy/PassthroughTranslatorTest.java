package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Behaviour of the Kuma profile through the public API, on the default transparent proxy. */
class PassthroughTranslatorTest {
  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final String IPV4 = "self_transparentproxy_passthrough_outbound_ipv4";
  private static final String IPV6 = "self_transparentproxy_passthrough_outbound_ipv6";

  private static TranslationResult translate(PassthroughMode mode, Match... matches) {
    return ChainInvariants.assertAcceptable(
        TRANSLATOR.translate(PassthroughConf.of(mode, List.of(matches)), PROXY));
  }

  private static Match match(MatchType type, String value, int port, Protocol protocol) {
    return port == 0
        ? Match.onEveryPort(Destination.of(type, value), protocol)
        : Match.of(Destination.of(type, value), port, protocol);
  }

  private static List<String> chainNames(TranslationResult result, String listener) {
    return result.listener(listener).orElseThrow().getFilterChainsList().stream()
        .map(FilterChain::getName)
        .toList();
  }

  @Test
  void modeAll_leavesEveryResourceAsItWas() {
    TranslationResult result =
        translate(PassthroughMode.ALL, match(MatchType.DOMAIN, "example.com", 443, Protocol.TLS));

    assertThat(result.listeners())
        .containsExactlyElementsOf(
            PROXY.listeners().stream().map(ProxyContext.ExistingListener::listener).toList());
    assertThat(result.clusters())
        .containsExactlyElementsOf(
            PROXY.clusters().stream().map(ProxyContext.ExistingCluster::cluster).toList());
    assertThat(result.notes())
        .singleElement()
        .satisfies(
            note -> {
              assertThat(note.ruleId()).isEqualTo("translate.mode.all-ignores-matches");
              assertThat(note.severity()).isEqualTo(Severity.WARNING);
              assertThat(note.message()).contains("appendMatch entries are ignored");
            });
  }

  @Test
  void modeNone_removesTheDefaultPassthroughClusters_andKeepsTheListeners() {
    TranslationResult result = translate(PassthroughMode.NONE);

    assertThat(result.clusters()).isEmpty();
    assertThat(result.listeners()).hasSize(2);
    assertThat(result.notes())
        .hasSize(2)
        .allSatisfy(n -> assertThat(n.message()).contains("Envoy closes those connections"))
        .extracting(Problem::ruleId)
        .containsOnly("translate.cluster.removed-still-used");
  }

  @Test
  void modeMatchedWithoutEntries_removesTheClusters_andLeavesTheListeners() {
    TranslationResult result =
        ChainInvariants.assertAcceptable(TRANSLATOR.translate(PassthroughConf.empty(), PROXY));

    assertThat(result.clusters()).isEmpty();
    assertThat(result.listener(IPV4).orElseThrow().getListenerFiltersList()).isEmpty();
  }

  @Test
  void portlessIpMatch_isCopiedToEveryUsedPort() {
    TranslationResult result =
        translate(
            PassthroughMode.MATCHED,
            match(MatchType.IP, "10.0.0.1", 0, Protocol.TCP),
            match(MatchType.DOMAIN, "example.com", 443, Protocol.TLS),
            match(MatchType.IP, "fd00::1", 8080, Protocol.TCP));

    assertThat(chainNames(result, IPV4))
        .containsExactly(
            "meshpassthrough_tls_example.com_443",
            "meshpassthrough_tcp_10.0.0.1_8080",
            "meshpassthrough_tcp_10.0.0.1_443",
            "meshpassthrough_tcp_10.0.0.1_*");
    assertThat(chainNames(result, IPV6))
        .containsExactly("meshpassthrough_tls_example.com_443", "meshpassthrough_tcp_fd00::1_8080");
  }

  @Test
  void ipv4OnlyMatches_leaveTheIpv6ListenerUntouched_withANote() {
    TranslationResult result =
        translate(PassthroughMode.MATCHED, match(MatchType.CIDR, "10.0.0.0/8", 80, Protocol.TCP));

    assertThat(result.listener(IPV6)).contains(PROXY.listeners().get(1).listener());
    assertThat(result.notes())
        .anySatisfy(n -> assertThat(n.message()).contains(IPV6).contains("Matched removed"));
  }

  @Test
  void http2AndGrpcClusters_speakHttp2Upstream() {
    TranslationResult result =
        translate(
            PassthroughMode.MATCHED,
            match(MatchType.DOMAIN, "grpc.example.com", 9000, Protocol.GRPC),
            match(MatchType.DOMAIN, "h2.example.com", 9001, Protocol.HTTP2),
            match(MatchType.DOMAIN, "h1.example.com", 9002, Protocol.HTTP));

    assertThat(
            cluster(result, "meshpassthrough_grpc_grpc.example.com_9000")
                .getTypedExtensionProtocolOptionsMap())
        .containsOnlyKeys("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    assertThat(
            cluster(result, "meshpassthrough_http2_h2.example.com_9001")
                .getTypedExtensionProtocolOptionsMap())
        .hasSize(1);
    assertThat(
            cluster(result, "meshpassthrough_http_h1.example.com_9002")
                .getTypedExtensionProtocolOptionsMap())
        .isEmpty();
    assertThat(
            cluster(result, "meshpassthrough_http_h1.example.com_9002")
                .getConnectTimeout()
                .getSeconds())
        .isEqualTo(5);
  }

  @Test
  void oneMysqlPort_disablesTheInspectorsWithABarePortRange() {
    TranslationResult result =
        translate(PassthroughMode.MATCHED, match(MatchType.IP, "10.0.0.5", 3306, Protocol.MYSQL));

    Listener listener = result.listener(IPV4).orElseThrow();
    assertThat(listener.getListenerFilters(0).hasFilterDisabled()).isFalse();
    assertThat(
            listener.getListenerFilters(1).getFilterDisabled().getDestinationPortRange().getStart())
        .isEqualTo(3306);
    assertThat(
            listener.getListenerFilters(1).getFilterDisabled().getDestinationPortRange().getEnd())
        .isEqualTo(3307);
    assertThat(listener.getListenerFilters(2).getFilterDisabled())
        .isEqualTo(listener.getListenerFilters(1).getFilterDisabled());
  }

  @Test
  void internalAddresses_keepIpv6WhenIpv6IsEnabled() {
    TranslationResult result =
        translate(PassthroughMode.MATCHED, match(MatchType.IP, "10.0.0.1", 80, Protocol.HTTP));

    assertThat(result.toJson())
        .contains("\"addressPrefix\" : \"::1\"")
        .contains("\"addressPrefix\" : \"127.0.0.1\"");
  }

  @Test
  void tcpAndMysqlOnTheSameAddressAndPort_areRejectedNamingBothEntries() {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                match(MatchType.IP, "10.0.0.1", 3306, Protocol.TCP),
                match(MatchType.IP, "10.0.0.1", 3306, Protocol.MYSQL)));

    assertThatThrownBy(() -> TRANSLATOR.translate(conf, PROXY))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.messages())
                    .singleElement()
                    .asString()
                    .contains("appendMatch[0] (IP 10.0.0.1:3306/tcp)")
                    .contains("appendMatch[1] (IP 10.0.0.1:3306/mysql)")
                    .contains("meshpassthrough_tcp_10.0.0.1_3306"));
    assertThatThrownBy(() -> TRANSLATOR.translate(conf, PROXY))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        problem -> {
                          assertThat(problem.ruleId()).isEqualTo("translate.chain.duplicate-name");
                          assertThat(problem.isError()).isTrue();
                          assertThat(problem.path())
                              .contains(FieldPath.of("spec", "default", "appendMatch").index(0));
                          assertThat(problem.policy()).isEmpty();
                        }));
  }

  @Test
  void orderedCorpus_portlessHttpDomainsOnHttp2AndGrpcPorts_areRejectedNamingBothEntries() {
    PassthroughConf conf =
        KumaCorpus.unvalidatedConf(KumaCorpus.category("order").resolve("ordered/policy.yaml"));

    assertThatThrownBy(() -> TRANSLATOR.translate(conf, PROXY))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.messages())
                    .containsExactly(
                        "appendMatch[7] (Domain http2.com:9000/http2) and appendMatch[9] (Domain *.example.com:*/http) give filter chains "
                            + "meshpassthrough_http2_9000 and meshpassthrough_http_9000 the same match, which Envoy rejects: change or remove one of them",
                        "appendMatch[8] (Domain grpc.com:9001/grpc) and appendMatch[9] (Domain *.example.com:*/http) give filter chains "
                            + "meshpassthrough_grpc_9001 and meshpassthrough_http_9001 the same match, which Envoy rejects: change or remove one of them"));
  }

  @Test
  void errorCorpus_failsWithKumasMessages() {
    PassthroughConf conf =
        KumaCorpus.unvalidatedConf(
            KumaCorpus.category("order").resolve("error-l7-protocols-same-port/policy.yaml"));

    assertThatThrownBy(() -> TRANSLATOR.translate(conf, PROXY))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.messages())
                    .containsExactly(
                        "you cannot configure http, http2, grpc on the same port 8080",
                        "you cannot configure http, http2, grpc on the same port 9001"));
    assertThatThrownBy(() -> TRANSLATOR.translate(conf, PROXY))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.problems())
                    .allSatisfy(problem -> assertThat(problem.path()).isEmpty())
                    .extracting(Problem::ruleId)
                    .containsOnly("translate.port.layer7-conflict"));
  }

  @Test
  void proxyWithoutTransparentProxy_isLeftAlone() {
    ProxyContext noTproxy =
        new ProxyContext(
            "10.0.0.1",
            Optional.empty(),
            false,
            PROXY.features(),
            List.of(),
            PROXY.listeners(),
            PROXY.clusters());

    TranslationResult result =
        ChainInvariants.assertAcceptable(
            TRANSLATOR.translate(PassthroughConf.of(PassthroughMode.NONE, List.of()), noTproxy));

    assertThat(result.clusters()).hasSize(2);
    assertThat(result.notes())
        .singleElement()
        .satisfies(
            note -> {
              assertThat(note.ruleId()).isEqualTo("translate.proxy.not-applicable");
              assertThat(note.severity()).isEqualTo(Severity.NOTE);
              assertThat(note.message()).startsWith("policy not applied");
            });
  }

  @Test
  void ipv4ModeWithAnIpv6DataplaneAddress_isNotATransparentProxy() {
    ProxyContext proxy =
        new ProxyContext(
            "fd00::1",
            Optional.of(
                new ProxyContext.TransparentProxy(15001, 15006, ProxyContext.IpFamilyMode.IPV4)),
            false,
            PROXY.features(),
            List.of(),
            PROXY.listeners(),
            PROXY.clusters());

    assertThat(proxy.transparentProxyEnabled()).isFalse();
  }

  @Test
  void missingIpv6Listener_isNotedAndItsChainsAreNotGenerated() {
    ProxyContext ipv4Only = PROXY.withResources(PROXY.listeners().subList(0, 1), PROXY.clusters());

    TranslationResult result =
        ChainInvariants.assertAcceptable(
            TRANSLATOR.translate(
                PassthroughConf.of(
                    PassthroughMode.MATCHED,
                    List.of(
                        match(MatchType.IP, "fd00::1", 443, Protocol.TLS),
                        match(MatchType.IP, "10.1.1.1", 443, Protocol.TLS))),
                ipv4Only));

    assertThat(result.clusters())
        .extracting(Cluster::getName)
        .containsExactly("meshpassthrough_tls_10.1.1.1_443");
    assertThat(result.notes())
        .anySatisfy(n -> assertThat(n.message()).contains("no IPV6 passthrough listener"));
  }

  @Test
  void existingListenerFilters_areNotAddedTwice() {
    Listener once =
        translate(
                PassthroughMode.MATCHED,
                match(MatchType.DOMAIN, "a.example.com", 443, Protocol.TLS))
            .listener(IPV4)
            .orElseThrow();
    ProxyContext rebuilt =
        PROXY.withResources(
            List.of(
                new ProxyContext.ExistingListener(ProxyContext.ORIGIN_TRANSPARENT, once),
                PROXY.listeners().get(1)),
            PROXY.clusters());

    Listener twice =
        ChainInvariants.assertAcceptable(
                TRANSLATOR.translate(
                    PassthroughConf.of(
                        PassthroughMode.MATCHED,
                        List.of(match(MatchType.DOMAIN, "b.example.com", 443, Protocol.TLS))),
                    rebuilt))
            .listener(IPV4)
            .orElseThrow();

    assertThat(twice.getListenerFiltersList()).isEqualTo(once.getListenerFiltersList());
    assertThat(twice.getFilterChainsList())
        .extracting(FilterChain::getName)
        .containsExactly("meshpassthrough_tls_b.example.com_443");
  }

  private static Cluster cluster(TranslationResult result, String name) {
    return result
        .cluster(name)
        .orElseThrow(() -> new AssertionError("no cluster " + name + " in " + result.clusters()));
  }
}
