package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact profile's output on Kuma's corpus and on the shapes its construction promises. */
class ExactProfileTest {
  private static final PassthroughTranslator EXACT = PassthroughTranslator.create();
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  static List<Path> cases() {
    return KumaCorpus.cases("translate");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCorpusPolicies_translateToUniqueChainsThatReferOnlyToExistingClusters(Path dir)
      throws IOException {
    PassthroughConf conf = KumaCorpus.unvalidatedConf(dir.resolve("policy.yaml"));
    ProxyContext proxy = ProxyContext.read(dir.resolve("proxy.yaml"));

    TranslationResult result = ChainInvariants.assertAcceptable(EXACT.translate(conf, proxy));

    assertThat(EXACT.translate(conf, proxy).toJson()).isEqualTo(result.toJson());
    Set<String> clusters =
        result.clusters().stream().map(Cluster::getName).collect(Collectors.toSet());
    for (Listener listener : result.listeners()) {
      assertThat(ResourceTreesClusters.referencedBy(listener))
          .as(listener.getName())
          .isSubsetOf(clusters);
    }
  }

  @Test
  void isTheDefaultProfile() {
    assertThat(TranslatorOptions.defaults().profile()).isEqualTo(TranslationProfile.EXACT);
  }

  @Test
  void modeNone_closesEverythingWithADirectResponseChain_andRemovesTheDefaultClusters() {
    TranslationResult result =
        EXACT.translate(PassthroughConf.of(PassthroughMode.NONE, List.of()), PROXY);
    assertThat(result.clusters()).isEmpty();
    assertThat(result.listeners())
        .hasSize(2)
        .allSatisfy(
            listener -> {
              assertThat(listener.getFilterChainsList())
                  .singleElement()
                  .satisfies(
                      chain -> {
                        assertThat(chain.getName()).isEqualTo("meshpassthrough_deny");
                        assertThat(chain.getFiltersList())
                            .singleElement()
                            .satisfies(
                                f ->
                                    assertThat(f.getName())
                                        .isEqualTo("envoy.filters.network.direct_response"));
                      });
              assertThat(listener.hasDefaultFilterChain()).isFalse();
            });
  }

  @Test
  void ipv4OnlyPolicy_stillRebuildsTheIpv6Listener_soNothingRefersToARemovedCluster() {
    Match ip = Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 8080, Protocol.TCP);
    TranslationResult result =
        EXACT.translate(PassthroughConf.of(PassthroughMode.MATCHED, List.of(ip)), PROXY);
    Listener ipv6 =
        result.listener("self_transparentproxy_passthrough_outbound_ipv6").orElseThrow();
    assertThat(ipv6.getFilterChainsList())
        .extracting(FilterChain::getName)
        .containsExactly("meshpassthrough_deny");
    assertThat(result.notes()).isEmpty();
  }

  @Test
  void inspectorsRunOnlyWhereSniOrAlpnIsNeeded_andServerFirstTrafficContinuesAfterTheirTimeout() {
    List<Match> matches =
        List.of(
            Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 3306, Protocol.MYSQL),
            Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS));
    Listener ipv4 =
        EXACT
            .translate(PassthroughConf.of(PassthroughMode.MATCHED, matches), PROXY)
            .listener("self_transparentproxy_passthrough_outbound_ipv4")
            .orElseThrow();
    assertThat(ipv4.getListenerFiltersList())
        .extracting(ListenerFilter::getName)
        .containsExactly(
            "envoy.filters.listener.original_dst",
            "envoy.filters.listener.tls_inspector",
            "envoy.filters.listener.http_inspector");
    ListenerFilter tls = ipv4.getListenerFilters(1);
    assertThat(tls.getFilterDisabled().getNotMatch().getDestinationPortRange().getStart())
        .isEqualTo(443);
    assertThat(tls.getFilterDisabled().getNotMatch().getDestinationPortRange().getEnd())
        .isEqualTo(444);
    assertThat(ipv4.getContinueOnListenerFiltersTimeout()).isTrue();
  }

  @Test
  void noMatchBody_isNeutralAndConfigurable() {
    Match http = Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 80, Protocol.HTTP);
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, List.of(http));
    assertThat(EXACT.translate(conf, PROXY).toJson())
        .contains("No MeshPassthrough rule allows this destination.")
        .doesNotContain("Kuma");
    PassthroughTranslator custom =
        PassthroughTranslator.create(
            TranslatorOptions.defaults().withNoMatchBody("blocked by policy\n"));
    assertThat(custom.translate(conf, PROXY).toJson()).contains("blocked by policy");
  }
}
