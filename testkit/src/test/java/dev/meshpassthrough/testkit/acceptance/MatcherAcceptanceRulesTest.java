package dev.meshpassthrough.testkit.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.FieldMatcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.PredicateList;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.SinglePredicate;
import com.github.xds.type.matcher.v3.Matcher.MatcherTree;
import com.github.xds.type.matcher.v3.Matcher.MatcherTree.MatchMap;
import com.github.xds.type.matcher.v3.Matcher.OnMatch;
import com.github.xds.type.matcher.v3.StringMatcher;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule the acceptance check applies to a {@code filter_chain_matcher}
 * (docs/envoy-behaviour.md#matcher-api), failing and passing.
 */
class MatcherAcceptanceRulesTest {
  private static final Cluster CLUSTER =
      Cluster.newBuilder()
          .setName("c")
          .setType(Cluster.DiscoveryType.ORIGINAL_DST)
          .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
          .build();

  private static TypedExtensionConfig extension(String name, Message config) {
    return TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }

  private static FilterChain chain(String name) {
    TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix("s").setCluster("c").build();
    return FilterChain.newBuilder()
        .setName(name)
        .addFilters(
            Filter.newBuilder()
                .setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Any.pack(proxy)))
        .build();
  }

  private static OnMatch action(String chain) {
    return OnMatch.newBuilder().setAction(extension("fc", StringValue.of(chain))).build();
  }

  private static Predicate single(Message input, String exact) {
    return Predicate.newBuilder()
        .setSinglePredicate(
            SinglePredicate.newBuilder()
                .setInput(extension("in", input))
                .setValueMatch(StringMatcher.newBuilder().setExact(exact)))
        .build();
  }

  private static Predicate inRange(Ip ip) {
    return Predicate.newBuilder()
        .setSinglePredicate(
            SinglePredicate.newBuilder()
                .setInput(extension("dip", DestinationIPInput.getDefaultInstance()))
                .setCustomMatch(extension("ip", ip)))
        .build();
  }

  private static Ip ip(String address, Integer length) {
    CidrRange.Builder range = CidrRange.newBuilder().setAddressPrefix(address);
    if (length != null) {
      range.setPrefixLen(UInt32Value.of(length));
    }
    return Ip.newBuilder().addCidrRanges(range).setStatPrefix("ip").build();
  }

  private static Matcher list(FieldMatcher... entries) {
    return Matcher.newBuilder()
        .setMatcherList(MatcherList.newBuilder().addAllMatchers(List.of(entries)))
        .build();
  }

  private static FieldMatcher entry(Predicate predicate, String chain) {
    return FieldMatcher.newBuilder().setPredicate(predicate).setOnMatch(action(chain)).build();
  }

  private static Matcher byPort(String port, Matcher perPort, Matcher others) {
    return Matcher.newBuilder()
        .setMatcherTree(
            MatcherTree.newBuilder()
                .setInput(extension("port", DestinationPortInput.getDefaultInstance()))
                .setExactMatchMap(
                    MatchMap.newBuilder()
                        .putMap(port, OnMatch.newBuilder().setMatcher(perPort).build())))
        .setOnNoMatch(OnMatch.newBuilder().setMatcher(others))
        .build();
  }

  private static List<String> rules(Matcher matcher, FilterChain... chains) {
    Listener listener =
        Listener.newBuilder()
            .setName("l")
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
            .addAllFilterChains(List.of(chains))
            .setFilterChainMatcher(matcher)
            .build();
    return EnvoyAcceptance.check(List.of(listener), List.of(CLUSTER)).stream()
        .map(AcceptanceProblem::rule)
        .toList();
  }

  private static final Predicate TLS = single(TransportProtocolInput.getDefaultInstance(), "tls");
  private static final Predicate SNI =
      single(ServerNameInput.getDefaultInstance(), "api.example.com");

  @Test
  void aValidMatcher_hasNoProblem() {
    Predicate tlsToApi =
        Predicate.newBuilder()
            .setAndMatcher(PredicateList.newBuilder().addPredicate(TLS).addPredicate(SNI))
            .build();
    Matcher matcher =
        byPort(
            "443",
            list(entry(inRange(ip("10.0.0.0", 8)), "a"), entry(tlsToApi, "b")),
            list(entry(inRange(ip("10.0.0.0", 8)), "a")));
    assertThat(rules(matcher, chain("a"), chain("b"))).isEmpty();
  }

  @Test
  void chains_needNamesThatAreUnique() {
    Matcher matcher = list(entry(TLS, "a"));
    assertThat(rules(matcher, chain("a"), chain(""))).containsExactly("listener.chain.name");
    assertThat(rules(matcher, chain("a"), chain("a")))
        .containsExactly("listener.chain.name-unique");
  }

  @Test
  void anActionNamingNoChain_isATrap() {
    assertThat(rules(byPort("443", list(entry(TLS, "missing")), list(entry(TLS, "a"))), chain("a")))
        .containsExactly("trap.matcher-unknown-chain");
  }

  @Test
  void aChainWithAFilterChainMatch_underAMatcher_isATrap() {
    FilterChain matched =
        chain("a").toBuilder()
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
            .build();
    assertThat(rules(list(entry(TLS, "a")), matched)).containsExactly("trap.matcher-ignored-match");
  }

  @Test
  void andAndOr_needTwoPredicates_andListsOneEntry() {
    Predicate lonely =
        Predicate.newBuilder().setAndMatcher(PredicateList.newBuilder().addPredicate(TLS)).build();
    assertThat(rules(list(entry(lonely, "a")), chain("a")))
        .containsExactly("pgv.repeated.min_items");
    assertThat(
            rules(
                Matcher.newBuilder().setMatcherList(MatcherList.getDefaultInstance()).build(),
                chain("a")))
        .containsExactly("pgv.repeated.min_items");
    Matcher emptyMap =
        Matcher.newBuilder()
            .setMatcherTree(
                MatcherTree.newBuilder()
                    .setInput(extension("port", DestinationPortInput.getDefaultInstance()))
                    .setExactMatchMap(MatchMap.getDefaultInstance()))
            .build();
    assertThat(rules(emptyMap, chain("a"))).containsExactly("pgv.map.min_pairs");
  }

  @Test
  void extensions_needANameAndAnOnMatchNeedsAMatcherOrAnAction() {
    Predicate unnamed =
        Predicate.newBuilder()
            .setSinglePredicate(
                SinglePredicate.newBuilder()
                    .setInput(
                        TypedExtensionConfig.newBuilder()
                            .setTypedConfig(Any.pack(TransportProtocolInput.getDefaultInstance())))
                    .setValueMatch(StringMatcher.newBuilder().setExact("tls")))
            .build();
    assertThat(rules(list(entry(unnamed, "a")), chain("a"))).containsExactly("pgv.string.min_len");
    FieldMatcher noAction =
        FieldMatcher.newBuilder()
            .setPredicate(TLS)
            .setOnMatch(OnMatch.getDefaultInstance())
            .build();
    assertThat(rules(list(noAction), chain("a"))).containsExactly("pgv.oneof.required");
  }

  @Test
  void ipInputMatchers_needRangesThatParse_andAStatPrefix() {
    assertThat(
            rules(
                list(entry(inRange(Ip.newBuilder().setStatPrefix("ip").build()), "a")), chain("a")))
        .containsExactly("pgv.repeated.min_items");
    assertThat(
            rules(
                list(entry(inRange(ip("10.0.0.0", 8).toBuilder().clearStatPrefix().build()), "a")),
                chain("a")))
        .containsExactly("pgv.string.min_len");
    assertThat(rules(list(entry(inRange(ip("example.com", 8)), "a")), chain("a")))
        .containsExactly("listener.matcher.cidr");
    assertThat(rules(list(entry(inRange(ip("10.0.0.1", null)), "a")), chain("a")))
        .contains("trap.prefix-len-unset");
    assertThat(rules(list(entry(inRange(ip("10.1.2.3", 8)), "a")), chain("a")))
        .containsExactly("trap.host-bits");
    assertThat(rules(list(entry(inRange(ip("fd00::", 64)), "a")), chain("a")))
        .containsExactly("trap.family");
  }

  @Test
  void onlyNetworkInputs_mayFeedAFilterChainMatcher() {
    Predicate header =
        single(HttpRequestHeaderMatchInput.newBuilder().setHeaderName("host").build(), "x");
    assertThat(rules(list(entry(header, "a")), chain("a"))).contains("listener.matcher.input");
  }
}
