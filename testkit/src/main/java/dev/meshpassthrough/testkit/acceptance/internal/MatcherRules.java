package dev.meshpassthrough.testkit.acceptance.internal;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.FieldMatcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate;
import com.github.xds.type.matcher.v3.Matcher.OnMatch;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Envoy's rules for a listener's {@code filter_chain_matcher} (docs/envoy-behaviour.md#matcher-api)
 * beyond what protoc-gen-validate checks, and the accepted-but-wrong traps that concern it:
 *
 * <ul>
 *   <li>{@code listener.matcher.input}: only network inputs may feed a filter-chain matcher;
 *   <li>{@code listener.matcher.cidr}: every range of an {@code Ip} input matcher must parse (with
 *       the prefix-range traps of legacy matches: unset or clamped {@code prefix_len}, host bits,
 *       the other family);
 *   <li>{@code trap.matcher-unknown-chain}: an action naming a chain the listener does not have
 *       closes the connections it takes;
 *   <li>{@code trap.matcher-ignored-match}: a chain's {@code filter_chain_match} is ignored under a
 *       matcher, so a generator that writes one believes in a selection Envoy does not make.
 * </ul>
 */
final class MatcherRules {
  private static final String NETWORK_INPUTS =
      "type.googleapis.com/envoy.extensions.matching.common_inputs.network.v3.";
  private static final String IP_TYPE = "type.googleapis.com/" + Ip.getDescriptor().getFullName();

  private MatcherRules() {}

  static void check(Listener listener, ProblemSink sink) {
    Set<String> chains =
        listener.getFilterChainsList().stream()
            .map(FilterChain::getName)
            .collect(Collectors.toSet());
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      if (listener.getFilterChains(i).hasFilterChainMatch()) {
        sink.add(
            "filterChains[" + i + "].filterChainMatch",
            "trap.matcher-ignored-match",
            "filter_chain_match is ignored when the listener has a filter_chain_matcher");
      }
    }
    new Walk(chains, ListenerRules.isIpv4(listener), sink)
        .matcher(listener.getFilterChainMatcher(), "filterChainMatcher");
  }

  /** One walk over a matcher tree. */
  private record Walk(Set<String> chains, boolean ipv4Listener, ProblemSink sink) {
    void matcher(Matcher matcher, String path) {
      if (matcher.hasMatcherList()) {
        List<FieldMatcher> entries = matcher.getMatcherList().getMatchersList();
        for (int i = 0; i < entries.size(); i++) {
          String entryPath = path + ".matcherList.matchers[" + i + "]";
          predicate(entries.get(i).getPredicate(), entryPath + ".predicate");
          onMatch(entries.get(i).getOnMatch(), entryPath + ".onMatch");
        }
      } else if (matcher.hasMatcherTree()) {
        Matcher.MatcherTree tree = matcher.getMatcherTree();
        input(tree.getInput(), path + ".matcherTree.input");
        String mapPath =
            path
                + ".matcherTree."
                + (tree.hasExactMatchMap() ? "exactMatchMap" : "prefixMatchMap")
                + ".map";
        Map<String, OnMatch> map =
            tree.hasExactMatchMap()
                ? tree.getExactMatchMap().getMapMap()
                : tree.getPrefixMatchMap().getMapMap();
        map.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> onMatch(e.getValue(), mapPath + "[" + e.getKey() + "]"));
      }
      if (matcher.hasOnNoMatch()) {
        onMatch(matcher.getOnNoMatch(), path + ".onNoMatch");
      }
    }

    private void onMatch(OnMatch onMatch, String path) {
      if (onMatch.hasMatcher()) {
        matcher(onMatch.getMatcher(), path + ".matcher");
      } else if (onMatch.hasAction()
          && onMatch.getAction().getTypedConfig().is(StringValue.class)) {
        String chain =
            unpack(onMatch.getAction(), StringValue.class, path)
                .map(StringValue::getValue)
                .orElse("");
        if (!chains.contains(chain)) {
          sink.add(
              path + ".action",
              "trap.matcher-unknown-chain",
              "the action names filter chain '"
                  + chain
                  + "', which the listener does not have: the connections it takes are closed");
        }
      }
    }

    private void predicate(Predicate predicate, String path) {
      switch (predicate.getMatchTypeCase()) {
        case SINGLE_PREDICATE -> {
          Predicate.SinglePredicate single = predicate.getSinglePredicate();
          input(single.getInput(), path + ".singlePredicate.input");
          if (single.hasCustomMatch()
              && single.getCustomMatch().getTypedConfig().getTypeUrl().equals(IP_TYPE)) {
            String ipPath = path + ".singlePredicate.customMatch.typedConfig";
            unpack(single.getCustomMatch(), Ip.class, ipPath)
                .ifPresent(
                    ip -> {
                      for (int r = 0; r < ip.getCidrRangesCount(); r++) {
                        ListenerRules.normalised(
                            ip.getCidrRanges(r),
                            ipPath + ".cidrRanges[" + r + "]",
                            ipv4Listener,
                            "listener.matcher.cidr",
                            sink);
                      }
                    });
          }
        }
        case AND_MATCHER ->
            list(predicate.getAndMatcher().getPredicateList(), path + ".andMatcher.predicate");
        case OR_MATCHER ->
            list(predicate.getOrMatcher().getPredicateList(), path + ".orMatcher.predicate");
        case NOT_MATCHER -> predicate(predicate.getNotMatcher(), path + ".notMatcher");
        case MATCHTYPE_NOT_SET -> {}
      }
    }

    private void list(List<Predicate> predicates, String path) {
      for (int i = 0; i < predicates.size(); i++) {
        predicate(predicates.get(i), path + "[" + i + "]");
      }
    }

    private void input(TypedExtensionConfig input, String path) {
      String type = input.getTypedConfig().getTypeUrl();
      if (!type.isEmpty() && !type.startsWith(NETWORK_INPUTS)) {
        sink.add(
            path,
            "listener.matcher.input",
            "a filter-chain matcher takes network inputs only, not " + type);
      }
    }

    private <T extends com.google.protobuf.Message> java.util.Optional<T> unpack(
        TypedExtensionConfig config, Class<T> type, String path) {
      try {
        return java.util.Optional.of(config.getTypedConfig().unpack(type));
      } catch (InvalidProtocolBufferException e) {
        sink.add(path, "any.unparsable", "the value does not parse as " + type.getSimpleName());
        return java.util.Optional.empty();
      }
    }
  }
}
