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
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.envoy.internal.ChainBudget;
import dev.meshpassthrough.envoy.internal.ClusterCollector;
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
import java.util.HashMap;
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
 *       takes, {@link Unmatched#onNoMatch} decides (no {@code on_no_match}: closed; under audit, a
 *       small list that sends TLS, plaintext HTTP and the rest of the port to its audit chains).
 *   <li>Chains are those of the exact profile's chain factory, with unique names and without {@code
 *       filter_chain_match}, which the Matcher API ignores.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class MatcherEncoder {
  private static final String FILTER_CHAIN_ACTION = "filter_chain";

  // The predicates and inputs that do not depend on the plan: immutable, built once rather than
  // packed again for every list entry.
  private static final TypedExtensionConfig DESTINATION_IP =
      extension("destination_ip", DestinationIPInput.getDefaultInstance());
  private static final TypedExtensionConfig SERVER_NAME =
      extension("server_name", ServerNameInput.getDefaultInstance());
  private static final Predicate TLS = transportPredicate(EnvoyNames.TRANSPORT_TLS);
  private static final Predicate RAW_BUFFER = transportPredicate(EnvoyNames.TRANSPORT_RAW_BUFFER);
  private static final Predicate HTTP_ALPN = httpAlpnPredicate();
  private static final Predicate PLAINTEXT_HTTP = and(List.of(RAW_BUFFER, HTTP_ALPN));

  private final ExactChainFactory factory;
  private final ChainBudget budget;
  private final Unmatched unmatched;
  private final IpFamily family;

  /**
   * An encoder for the listener of {@code family} whose chains and list entries count against
   * {@code budget} as they are built.
   */
  MatcherEncoder(
      ExactChainFactory factory, ChainBudget budget, Unmatched unmatched, IpFamily family) {
    this.factory = factory;
    this.budget = budget;
    this.unmatched = unmatched;
    this.family = family;
  }

  /**
   * The encoded listener.
   *
   * @param chains the chains, each once, in order of first use
   * @param matcher the filter-chain matcher; empty when there are no chains
   * @param clusters the clusters the chains send traffic to, each once, in the order the chains
   *     first send traffic to them
   */
  record Encoded(List<FilterChain> chains, Optional<Matcher> matcher, List<ClusterSpec> clusters) {}

  Encoded encode(MatcherPlanner.ListenerPlan plan) {
    return new Run(plan.inspection()).encode(plan);
  }

  /** One encoding: the chains and clusters written so far. */
  private final class Run {
    private final Inspection inspection;
    private final Set<String> written = new HashSet<>();
    private final List<FilterChain> chains = new ArrayList<>();
    private final ClusterCollector clusters = new ClusterCollector();

    // Port-less entries repeat in every port's list: their predicates and actions are built once.
    private final Map<MatcherPlanner.Condition, Predicate> predicates = new HashMap<>();
    private final Map<String, OnMatch> actions = new HashMap<>();

    Run(Inspection inspection) {
      this.inspection = inspection;
    }

    Encoded encode(MatcherPlanner.ListenerPlan plan) {
      Map<ExactPlanner.ChainPlan, String> names = new LinkedHashMap<>();
      for (ExactPlanner.ChainPlan chainPlan : plan.chains()) {
        names.put(chainPlan, add(chainPlan));
      }
      Optional<Matcher> others = list(plan.otherPorts(), names, Optional.empty());
      if (plan.ports().isEmpty()) {
        return encoded(others);
      }
      MatchMap.Builder map = MatchMap.newBuilder();
      SortedMap<Integer, List<MatcherPlanner.ListEntry>> ports = plan.ports();
      ports.forEach(
          (port, entries) ->
              list(entries, names, Optional.of(Port.of(port)))
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
          .or(() -> unmatched.onNoMatch(() -> audit(Optional.empty(), List.of())))
          .ifPresent(top::setOnNoMatch);
      return encoded(Optional.of(top.build()));
    }

    private Encoded encoded(Optional<Matcher> matcher) {
      return new Encoded(chains, matcher, clusters.inOrderAdded());
    }

    /** Writes the chain of {@code chainPlan}, once per name, and returns its name. */
    private String add(ExactPlanner.ChainPlan chainPlan) {
      ExactChainFactory.Written built = factory.write(chainPlan, family);
      FilterChain chain = budget.chain(built.chain().toBuilder().clearFilterChainMatch().build());
      // A set, not a scan of the names: that scan made 20,000 chains take seconds.
      if (!written.add(chain.getName())) {
        throw new IllegalStateException(
            "two chains of the matcher encoding are named " + chain.getName());
      }
      chains.add(chain);
      clusters.addAll(built.clusters());
      return chain.getName();
    }

    private Optional<Matcher> list(
        List<MatcherPlanner.ListEntry> entries,
        Map<ExactPlanner.ChainPlan, String> names,
        Optional<Port> port) {
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
                    .setPredicate(
                        predicates.computeIfAbsent(entry.condition(), MatcherEncoder::predicate))
                    .setOnMatch(actions.computeIfAbsent(chain, MatcherEncoder::chainAction))
                    .build()));
      }
      Matcher.Builder matcher = Matcher.newBuilder().setMatcherList(list);
      unmatched.onNoMatch(() -> audit(port, entries)).ifPresent(matcher::setOnNoMatch);
      return Optional.of(matcher.build());
    }

    /**
     * What a port's list does with what none of its entries takes under audit: on a port the
     * inspectors read, TLS, plaintext HTTP and the rest to an audit chain each; else everything to
     * one. The list is first-match, so unlike the legacy table no entry keeps its kind of traffic
     * from the audit chains: each kind gets one whatever the entries are.
     */
    private OnMatch audit(Optional<Port> port, List<MatcherPlanner.ListEntry> entries) {
      List<ExactLeaf.Entry> here = new ArrayList<>();
      entries.forEach(e -> here.addAll(ExactLeaf.entriesOf(e.chain().leaf())));
      boolean inspected = inspection.covers(port);
      if (!inspected) {
        return chainAction(auditChain(port, ExactLeaf.AuditTraffic.ANY, here));
      }
      MatcherList.Builder list = MatcherList.newBuilder();
      list.addMatchers(
          FieldMatcher.newBuilder()
              .setPredicate(TLS)
              .setOnMatch(chainAction(auditChain(port, ExactLeaf.AuditTraffic.TLS, here))));
      list.addMatchers(
          FieldMatcher.newBuilder()
              .setPredicate(PLAINTEXT_HTTP)
              .setOnMatch(chainAction(auditChain(port, ExactLeaf.AuditTraffic.HTTP, here))));
      return OnMatch.newBuilder()
          .setMatcher(
              Matcher.newBuilder()
                  .setMatcherList(list)
                  .setOnNoMatch(chainAction(auditChain(port, ExactLeaf.AuditTraffic.RAW, here))))
          .build();
    }

    private String auditChain(
        Optional<Port> port, ExactLeaf.AuditTraffic traffic, List<ExactLeaf.Entry> here) {
      return add(
          new ExactPlanner.ChainPlan(
              port,
              Optional.empty(),
              new ExactLeaf.Audit(traffic, ExactPlanner.nearest(traffic, here))));
    }
  }

  private static OnMatch chainAction(String chain) {
    return OnMatch.newBuilder()
        .setAction(extension(FILTER_CHAIN_ACTION, StringValue.of(chain)))
        .build();
  }

  private static Predicate predicate(MatcherPlanner.Condition condition) {
    if (condition instanceof MatcherPlanner.InNetwork in) {
      Predicate address = inNetwork(in.network());
      return switch (in.traffic()) {
        case ANY -> address;
        case TLS -> and(List.of(address, TLS));
        case HTTP -> and(List.of(address, RAW_BUFFER, HTTP_ALPN));
      };
    }
    if (condition instanceof MatcherPlanner.ServerName name) {
      StringMatcher value =
          name.isWildcard()
              ? StringMatcher.newBuilder().setSuffix(name.name().substring(1)).build()
              : StringMatcher.newBuilder().setExact(name.name()).build();
      return and(List.of(TLS, single(SERVER_NAME, value)));
    }
    return PLAINTEXT_HTTP;
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
                .setInput(DESTINATION_IP)
                .setCustomMatch(extension("ip", ip)))
        .build();
  }

  private static Predicate transportPredicate(String protocol) {
    return single(
        extension("transport_protocol", TransportProtocolInput.getDefaultInstance()),
        StringMatcher.newBuilder().setExact(protocol).build());
  }

  /**
   * ApplicationProtocolInput gives the ALPN list quoted and comma-joined; http_inspector sets one
   * value.
   */
  private static Predicate httpAlpnPredicate() {
    List<Predicate> any =
        EnvoyNames.HTTP_APPLICATION_PROTOCOLS_WITH_1_0.stream()
            .map(
                p ->
                    single(
                        extension(
                            "application_protocol", ApplicationProtocolInput.getDefaultInstance()),
                        StringMatcher.newBuilder().setExact("'" + p + "'").build()))
            .toList();
    return Predicate.newBuilder()
        .setOrMatcher(PredicateList.newBuilder().addAllPredicate(any))
        .build();
  }

  private static Predicate single(TypedExtensionConfig input, StringMatcher value) {
    return Predicate.newBuilder()
        .setSinglePredicate(SinglePredicate.newBuilder().setInput(input).setValueMatch(value))
        .build();
  }

  private static Predicate and(List<Predicate> predicates) {
    return Predicate.newBuilder()
        .setAndMatcher(PredicateList.newBuilder().addAllPredicate(predicates))
        .build();
  }

  private static TypedExtensionConfig extension(String name, Message config) {
    // Name and type URL as bytes: the predicates are shared by thousands of matchers and encoded
    // with each of them.
    return TypedExtensionConfig.newBuilder()
        .setNameBytes(ByteString.copyFromUtf8(name))
        .setTypedConfig(EnvoyNames.pack(config))
        .build();
  }
}
