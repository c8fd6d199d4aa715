package dev.meshpassthrough.envoy.internal.exact;

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
import dev.meshpassthrough.envoy.internal.ChainBudget;
import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Writes a {@link MatcherPlanner.ListenerPlan} as Envoy's {@code filter_chain_matcher} and its
 * named chains (docs/envoy-behaviour.md#matcher-api).
 *
 * <ul>
 *   <li>Top level: an {@code exact_match_map} on {@code DestinationPortInput} with each named
 *       port's list, and the list of the port-less entries as {@code on_no_match}; only that list
 *       when no port is named.
 *   <li>Each list entry's predicate decides the match completely ({@code and_matcher} of the
 *       destination range, transport, SNI and ALPN conditions) and its {@code on_match} is the
 *       chain action itself, so no Envoy version's handling of a nested miss matters. What no entry
 *       takes, {@link Unmatched#onNoMatch} decides (no {@code on_no_match}: closed).
 *   <li>Chains are those of the exact profile's chain factory, with unique names and without {@code
 *       filter_chain_match}, which the Matcher API ignores.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class MatcherEncoder {
  private static final String FILTER_CHAIN_ACTION = "filter_chain";

  private final ExactChainFactory factory;
  private final ChainBudget budget;
  private final Unmatched unmatched;

  /** An encoder whose chains and list entries count against {@code budget} as they are built. */
  MatcherEncoder(ExactChainFactory factory, ChainBudget budget, Unmatched unmatched) {
    this.factory = factory;
    this.budget = budget;
    this.unmatched = unmatched;
  }

  /**
   * The encoded listener.
   *
   * @param chains the chains, each once, in order of first use
   * @param matcher the filter-chain matcher; empty when there are no chains
   * @param clusters the clusters the chains send traffic to, each once, in order of first use
   */
  record Encoded(List<FilterChain> chains, Optional<Matcher> matcher, List<ClusterSpec> clusters) {}

  Encoded encode(MatcherPlanner.ListenerPlan plan) {
    Map<ExactPlanner.ChainPlan, String> names = new LinkedHashMap<>();
    Set<String> written = new HashSet<>();
    List<FilterChain> chains = new ArrayList<>();
    Map<String, ClusterSpec> clusters = new LinkedHashMap<>();
    for (ExactPlanner.ChainPlan chainPlan : plan.chains()) {
      ExactChainFactory.Written built = factory.write(chainPlan);
      FilterChain chain = budget.chain(built.chain().toBuilder().clearFilterChainMatch().build());
      // A set, not names.containsValue: that scan made 20,000 chains take seconds.
      if (!written.add(chain.getName())) {
        throw new IllegalStateException(
            "two chains of the matcher encoding are named " + chain.getName());
      }
      names.put(chainPlan, chain.getName());
      chains.add(chain);
      built.clusters().forEach(spec -> clusters.putIfAbsent(spec.name(), spec));
    }
    Optional<Matcher> others = list(plan.otherPorts(), names);
    if (plan.ports().isEmpty()) {
      return new Encoded(chains, others, List.copyOf(clusters.values()));
    }
    MatchMap.Builder map = MatchMap.newBuilder();
    SortedMap<Integer, List<MatcherPlanner.ListEntry>> ports = plan.ports();
    ports.forEach(
        (port, entries) ->
            list(entries, names)
                .ifPresent(
                    list ->
                        map.putMap(
                            Integer.toString(port),
                            OnMatch.newBuilder().setMatcher(list).build())));
    Matcher.Builder top =
        Matcher.newBuilder()
            .setMatcherTree(
                MatcherTree.newBuilder()
                    .setInput(
                        extension("destination_port", DestinationPortInput.getDefaultInstance()))
                    .setExactMatchMap(map));
    // Ports no entry names: only the port-less entries apply. Explicit, so that no version's
    // handling of a missing key matters.
    others
        .map(list -> OnMatch.newBuilder().setMatcher(list).build())
        .or(unmatched::onNoMatch)
        .ifPresent(top::setOnNoMatch);
    return new Encoded(chains, Optional.of(top.build()), List.copyOf(clusters.values()));
  }

  private Optional<Matcher> list(
      List<MatcherPlanner.ListEntry> entries, Map<ExactPlanner.ChainPlan, String> names) {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    MatcherList.Builder list = MatcherList.newBuilder();
    for (MatcherPlanner.ListEntry entry : entries) {
      String chain = names.get(entry.chain());
      if (chain == null) {
        throw new IllegalStateException(
            "a list entry leads to a chain that was not written: " + entry.chain());
      }
      list.addMatchers(
          budget.chain(
              FieldMatcher.newBuilder()
                  .setPredicate(predicate(entry.condition()))
                  .setOnMatch(
                      OnMatch.newBuilder()
                          .setAction(extension(FILTER_CHAIN_ACTION, StringValue.of(chain))))
                  .build()));
    }
    Matcher.Builder matcher = Matcher.newBuilder().setMatcherList(list);
    unmatched.onNoMatch().ifPresent(matcher::setOnNoMatch);
    return Optional.of(matcher.build());
  }

  private static Predicate predicate(MatcherPlanner.Condition condition) {
    if (condition instanceof MatcherPlanner.InNetwork in) {
      Predicate address = inNetwork(in.network());
      return switch (in.traffic()) {
        case ANY -> address;
        case TLS -> and(List.of(address, transport(EnvoyNames.TRANSPORT_TLS)));
        case HTTP -> and(List.of(address, transport(EnvoyNames.TRANSPORT_RAW_BUFFER), httpAlpn()));
      };
    }
    if (condition instanceof MatcherPlanner.ServerName name) {
      StringMatcher value =
          name.isWildcard()
              ? StringMatcher.newBuilder().setSuffix(name.name().substring(1)).build()
              : StringMatcher.newBuilder().setExact(name.name()).build();
      return and(
          List.of(
              transport(EnvoyNames.TRANSPORT_TLS),
              single("server_name", ServerNameInput.getDefaultInstance(), value)));
    }
    return and(List.of(transport(EnvoyNames.TRANSPORT_RAW_BUFFER), httpAlpn()));
  }

  private static Predicate inNetwork(Network network) {
    Ip ip =
        Ip.newBuilder()
            .addCidrRanges(
                PassthroughListeners.cidrRange(network.addressText(), network.prefixLength()))
            .setStatPrefix(Naming.statName("meshpassthrough_" + network))
            .build();
    return Predicate.newBuilder()
        .setSinglePredicate(
            SinglePredicate.newBuilder()
                .setInput(extension("destination_ip", DestinationIPInput.getDefaultInstance()))
                .setCustomMatch(extension("ip", ip)))
        .build();
  }

  private static Predicate transport(String protocol) {
    return single(
        "transport_protocol",
        TransportProtocolInput.getDefaultInstance(),
        StringMatcher.newBuilder().setExact(protocol).build());
  }

  /**
   * ApplicationProtocolInput gives the ALPN list quoted and comma-joined; http_inspector sets one
   * value.
   */
  private static Predicate httpAlpn() {
    List<Predicate> any =
        EnvoyNames.HTTP_APPLICATION_PROTOCOLS_WITH_1_0.stream()
            .map(
                p ->
                    single(
                        "application_protocol",
                        ApplicationProtocolInput.getDefaultInstance(),
                        StringMatcher.newBuilder().setExact("'" + p + "'").build()))
            .toList();
    return Predicate.newBuilder()
        .setOrMatcher(PredicateList.newBuilder().addAllPredicate(any))
        .build();
  }

  private static Predicate single(String inputName, Message input, StringMatcher value) {
    return Predicate.newBuilder()
        .setSinglePredicate(
            SinglePredicate.newBuilder().setInput(extension(inputName, input)).setValueMatch(value))
        .build();
  }

  private static Predicate and(List<Predicate> predicates) {
    return Predicate.newBuilder()
        .setAndMatcher(PredicateList.newBuilder().addAllPredicate(predicates))
        .build();
  }

  private static TypedExtensionConfig extension(String name, Message config) {
    return TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }
}
