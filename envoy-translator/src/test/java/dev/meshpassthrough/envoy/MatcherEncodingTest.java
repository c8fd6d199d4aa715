package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.FieldMatcher;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exact profile's matcher encoding: the shape the README's "Legacy or matcher encoding?"
 * describes, and its options.
 */
class MatcherEncodingTest {
  private static final PassthroughTranslator MATCHER =
      PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(Encoding.MATCHER));
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final String IPV4 = "self_transparentproxy_passthrough_outbound_ipv4";

  /** The small example of §2.5. */
  private static final List<Match> EXAMPLE =
      List.of(
          Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
          Match.of(Destination.of(MatchType.DOMAIN, "*.example.org"), 443, Protocol.TLS),
          Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/8"), 443, Protocol.TCP),
          Match.of(Destination.of(MatchType.DOMAIN, "httpbin.dev"), 80, Protocol.HTTP),
          Match.onEveryPort(Destination.of(MatchType.IP, "10.240.15.39"), Protocol.TCP));

  private static Listener ipv4(List<Match> matches) {
    return MATCHER
        .translate(PassthroughConf.of(PassthroughMode.MATCHED, matches), PROXY)
        .listener(IPV4)
        .orElseThrow();
  }

  private static List<String> actions(Matcher list) {
    return list.getMatcherList().getMatchersList().stream()
        .map(FieldMatcher::getOnMatch)
        .map(
            m -> {
              try {
                return m.getAction().getTypedConfig().unpack(StringValue.class).getValue();
              } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  private static Listener listener(List<Match> matches, String name) {
    return MATCHER
        .translate(PassthroughConf.of(PassthroughMode.MATCHED, matches), PROXY)
        .listener(name)
        .orElseThrow();
  }

  @Test
  void example_mapsPorts_toListsInPrecedenceOrder_withPortlessRulesRepeatedAndAsOnNoMatch() {
    // The port-less tcp IP rule meets inspected ports 80 and 443: both are handed off
    // (HandOffPlanner).
    Listener listener = ipv4(EXAMPLE);
    Matcher top = listener.getFilterChainMatcher();
    assertThat(top.hasMatcherList()).isTrue();
    assertThat(actions(top)).containsExactly("meshpassthrough_*_10.240.15.39/32_any");
    Matcher port443 = listener(EXAMPLE, "meshpassthrough_port_443_ipv4").getFilterChainMatcher();
    assertThat(port443.getMatcherTree().getExactMatchMap().getMapMap()).containsOnlyKeys("443");
    assertThat(
            actions(
                port443.getMatcherTree().getExactMatchMap().getMapMap().get("443").getMatcher()))
        .containsExactly(
            "meshpassthrough_*_10.240.15.39/32_any", "meshpassthrough_443_10.0.0.0/8_any",
            "meshpassthrough_443_*_tls_api.example.com", "meshpassthrough_443_*_tls_*.example.org");
    Matcher port80 = listener(EXAMPLE, "meshpassthrough_port_80_ipv4").getFilterChainMatcher();
    assertThat(
            actions(port80.getMatcherTree().getExactMatchMap().getMapMap().get("80").getMatcher()))
        .containsExactly("meshpassthrough_*_10.240.15.39/32_any", "meshpassthrough_80_*_http");
  }

  @Test
  void withoutHandOff_portsMapToLists_andPortlessRulesAreOnNoMatch() {
    List<Match> matches =
        List.of(
            EXAMPLE.get(0),
            EXAMPLE.get(2),
            EXAMPLE.get(3),
            Match.onEveryPort(Destination.of(MatchType.CIDR, "10.240.0.0/16"), Protocol.TCP));
    Matcher top = ipv4(matches).getFilterChainMatcher();
    assertThat(top.getMatcherTree().getExactMatchMap().getMapMap()).containsOnlyKeys("80", "443");
    assertThat(actions(top.getMatcherTree().getExactMatchMap().getMapMap().get("443").getMatcher()))
        .containsExactly(
            "meshpassthrough_*_10.240.0.0/16_any",
            "meshpassthrough_443_10.0.0.0/8_any",
            "meshpassthrough_443_*_tls_api.example.com");
    assertThat(actions(top.getOnNoMatch().getMatcher()))
        .containsExactly("meshpassthrough_*_10.240.0.0/16_any");
  }

  @Test
  void chains_haveUniqueNames_noFilterChainMatch_andEveryActionNamesOne() {
    for (String name :
        List.of(IPV4, "meshpassthrough_port_443_ipv4", "meshpassthrough_port_80_ipv4")) {
      Listener listener = listener(EXAMPLE, name);
      List<String> names =
          listener.getFilterChainsList().stream().map(FilterChain::getName).toList();
      assertThat(names).doesNotHaveDuplicates();
      assertThat(listener.getFilterChainsList()).noneMatch(FilterChain::hasFilterChainMatch);
      Matcher top = listener.getFilterChainMatcher();
      Set<String> used =
          top.hasMatcherList()
              ? Set.copyOf(actions(top))
              : top.getMatcherTree().getExactMatchMap().getMapMap().values().stream()
                  .flatMap(m -> actions(m.getMatcher()).stream())
                  .collect(Collectors.toSet());
      assertThat(names).containsExactlyInAnyOrderElementsOf(used);
    }
  }

  @Test
  void listenerFilters_areThoseOfTheLegacyEncoding() {
    Listener legacy =
        PassthroughTranslator.create()
            .translate(PassthroughConf.of(PassthroughMode.MATCHED, EXAMPLE), PROXY)
            .listener(IPV4)
            .orElseThrow();
    assertThat(ipv4(EXAMPLE).getListenerFiltersList()).isEqualTo(legacy.getListenerFiltersList());
    assertThat(ipv4(EXAMPLE).getListenerFiltersList())
        .extracting(ListenerFilter::getName)
        .startsWith("envoy.filters.listener.original_dst");
  }

  @Test
  void portlessRulesOnly_giveTheListAsTheWholeMatcher() {
    Listener listener =
        ipv4(
            List.of(Match.onEveryPort(Destination.of(MatchType.CIDR, "10.0.0.0/8"), Protocol.TLS)));
    assertThat(listener.getFilterChainMatcher().hasMatcherList()).isTrue();
    assertThat(actions(listener.getFilterChainMatcher()))
        .containsExactly("meshpassthrough_*_10.0.0.0/8_tls");
  }

  @Test
  void aNarrowerHttpOrTlsRuleInsideATcpRule_isLeftOut_soTheTcpRuleTakesEveryConnectionThere() {
    Listener listener =
        ipv4(
            List.of(
                Match.onEveryPort(Destination.of(MatchType.CIDR, "10.0.0.0/8"), Protocol.TCP),
                Match.onEveryPort(Destination.of(MatchType.CIDR, "10.1.0.0/16"), Protocol.HTTP),
                Match.onEveryPort(Destination.of(MatchType.IP, "10.1.2.3"), Protocol.TLS),
                Match.onEveryPort(
                    Destination.of(MatchType.CIDR, "192.168.0.0/16"), Protocol.HTTP)));
    assertThat(actions(listener.getFilterChainMatcher()))
        .containsExactly(
            "meshpassthrough_*_192.168.0.0/16_http", "meshpassthrough_*_10.0.0.0/8_any");
  }

  @Test
  void aListenerNoRuleAppliesTo_getsTheClosingChainAndNoMatcher() {
    Listener ipv6 =
        MATCHER
            .translate(PassthroughConf.of(PassthroughMode.MATCHED, EXAMPLE.subList(2, 3)), PROXY)
            .listener("self_transparentproxy_passthrough_outbound_ipv6")
            .orElseThrow();
    assertThat(ipv6.hasFilterChainMatcher()).isFalse();
    assertThat(ipv6.getFilterChainsList())
        .extracting(FilterChain::getName)
        .containsExactly("meshpassthrough_deny");
  }

  @Test
  void shuffledAppendMatch_givesByteIdenticalJson() {
    String reference =
        MATCHER.translate(PassthroughConf.of(PassthroughMode.MATCHED, EXAMPLE), PROXY).toJson();
    assertThat(reference).contains("filterChainMatcher", "DestinationPortInput", "'http/1.0'");
    for (long seed : new long[] {1L, 7L, 42L}) {
      List<Match> shuffled = new ArrayList<>(EXAMPLE);
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(
              MATCHER
                  .translate(PassthroughConf.of(PassthroughMode.MATCHED, shuffled), PROXY)
                  .toJson())
          .as("seed %d", seed)
          .isEqualTo(reference);
    }
  }

  @Test
  void theKumaProfile_rejectsTheMatcherEncoding() {
    assertThatThrownBy(
            () -> TranslatorOptions.of(TranslationProfile.KUMA).withEncoding(Encoding.MATCHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("legacy");
    assertThat(TranslatorOptions.defaults().encoding()).isEqualTo(Encoding.LEGACY);
    assertThat(
            TranslatorOptions.of(TranslationProfile.KUMA).withEncoding(Encoding.LEGACY).encoding())
        .isEqualTo(Encoding.LEGACY);
  }
}
