package dev.meshpassthrough.testkit.internal;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.IPMatcher;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.FieldMatcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherTree;
import com.github.xds.type.matcher.v3.Matcher.OnMatch;
import com.github.xds.type.matcher.v3.ServerNameMatcher;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates a listener's {@code filter_chain_matcher} (docs/envoy-behaviour.md#matcher-api) to the
 * name of a filter chain, as Envoy does since its 2025 matcher rework.
 *
 * <ul>
 *   <li>{@code matcher_list}: entries in order; the first whose predicate holds <em>and</em> whose
 *       {@code on_match} resolves wins; a nested matcher that finds nothing lets the next entry
 *       try; then {@code on_no_match}.
 *   <li>{@code exact_match_map}: the input's entry; when absent, or when its nested matcher finds
 *       nothing, {@code on_no_match}.
 *   <li>{@code prefix_match_map}: the longest matching prefix first, then shorter ones.
 *   <li>{@code IPMatcher}: matching ranges longest prefix first, then declaration order; the most
 *       specific is always tried, after it exclusive ranges are skipped.
 *   <li>{@code ServerNameMatcher}: exact domain, then {@code *.suffix} longest first, then {@code
 *       *}.
 * </ul>
 */
final class MatcherEvaluator {
  private final MatcherInputs inputs;
  private final Tracer trace;

  MatcherEvaluator(ConnectionFacts facts, Tracer trace) {
    this.inputs = new MatcherInputs(facts);
    this.trace = trace;
  }

  /** The chain name the matcher resolves to, or empty when it finds nothing. */
  Optional<String> evaluate(Matcher matcher) {
    return switch (matcher.getMatcherTypeCase()) {
      case MATCHER_LIST -> list(matcher);
      case MATCHER_TREE -> tree(matcher);
      case MATCHERTYPE_NOT_SET -> onNoMatch(matcher);
    };
  }

  private Optional<String> list(Matcher matcher) {
    List<FieldMatcher> entries = matcher.getMatcherList().getMatchersList();
    for (int i = 0; i < entries.size(); i++) {
      FieldMatcher entry = entries.get(i);
      boolean holds = inputs.holds(entry.getPredicate());
      step(
          "matcher_list entry "
              + i
              + ": "
              + inputs.describe(entry.getPredicate())
              + (holds ? " holds" : " does not hold"));
      if (holds) {
        Optional<String> result = nested(entry.getOnMatch());
        if (result.isPresent()) {
          return result;
        }
        step("matcher_list entry " + i + ": its on_match found nothing, the next entry tries");
      }
    }
    return onNoMatch(matcher);
  }

  private Optional<String> tree(Matcher matcher) {
    MatcherTree tree = matcher.getMatcherTree();
    Optional<String> value = inputs.value(tree.getInput());
    String what =
        inputs.inputName(tree.getInput()) + " " + value.map(v -> "'" + v + "'").orElse("(absent)");
    switch (tree.getTreeTypeCase()) {
      case EXACT_MATCH_MAP -> {
        Map<String, OnMatch> map = tree.getExactMatchMap().getMapMap();
        if (value.isPresent() && map.containsKey(value.get())) {
          step("exact_match_map on " + what + ": key found");
          Optional<String> result = nested(map.get(value.get()));
          if (result.isPresent()) {
            return result;
          }
          step(
              "exact_match_map on "
                  + what
                  + ": the key's matcher found nothing, falling back to on_no_match");
        } else {
          step(
              "exact_match_map on "
                  + what
                  + ": no such key among "
                  + new java.util.TreeSet<>(map.keySet()));
        }
        return onNoMatch(matcher);
      }
      case PREFIX_MATCH_MAP -> {
        List<String> prefixes =
            tree.getPrefixMatchMap().getMapMap().keySet().stream()
                .filter(p -> value.isPresent() && value.get().startsWith(p))
                .sorted(
                    Comparator.comparingInt(String::length)
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (String prefix : prefixes) {
          step("prefix_match_map on " + what + ": prefix '" + prefix + "'");
          Optional<String> result =
              nested(Objects.requireNonNull(tree.getPrefixMatchMap().getMapMap().get(prefix)));
          if (result.isPresent()) {
            return result;
          }
        }
        step(
            "prefix_match_map on "
                + what
                + ": "
                + (prefixes.isEmpty() ? "no prefix matches" : "no prefix resolved"));
        return onNoMatch(matcher);
      }
      case CUSTOM_MATCH -> {
        return custom(matcher, tree.getCustomMatch(), what, value);
      }
      default ->
          throw new UnsupportedOperationException(
              "a matcher_tree without tree_type cannot be simulated");
    }
  }

  private Optional<String> custom(
      Matcher matcher, TypedExtensionConfig config, String what, Optional<String> value) {
    String type = config.getTypedConfig().getTypeUrl();
    if (type.equals(EnvoyTypes.IP_MATCHER)) {
      return ipMatcher(matcher, unpack(config, IPMatcher.class), what, value);
    }
    if (type.equals(EnvoyTypes.SERVER_NAME_MATCHER)) {
      return serverNameMatcher(matcher, unpack(config, ServerNameMatcher.class), what, value);
    }
    throw new UnsupportedOperationException(
        "the matcher_tree custom_match " + type + " is not simulated");
  }

  private Optional<String> ipMatcher(
      Matcher matcher, IPMatcher ipMatcher, String what, Optional<String> value) {
    Optional<java.net.InetAddress> address = value.flatMap(MatcherInputs::ipAddress);
    List<RangeHit> hits = new ArrayList<>();
    List<IPMatcher.IPRangeMatcher> rangeMatchers = ipMatcher.getRangeMatchersList();
    for (int i = 0; i < rangeMatchers.size(); i++) {
      int best = -1;
      for (com.github.xds.core.v3.CidrRange range : rangeMatchers.get(i).getRangesList()) {
        Optional<IpPrefix> prefix =
            IpPrefix.of(
                range.getAddressPrefix(),
                range.hasPrefixLen()
                    ? Optional.of(range.getPrefixLen().getValue())
                    : Optional.empty());
        if (prefix.isPresent() && address.isPresent() && prefix.get().contains(address.get())) {
          best = Math.max(best, prefix.get().length());
        }
      }
      if (best >= 0) {
        hits.add(new RangeHit(i, best, rangeMatchers.get(i)));
      }
    }
    hits.sort(
        Comparator.comparingInt(RangeHit::length).reversed().thenComparingInt(RangeHit::index));
    for (int i = 0; i < hits.size(); i++) {
      RangeHit hit = hits.get(i);
      if (i > 0 && hit.matcher().getExclusive()) {
        step(
            "IPMatcher on "
                + what
                + ": range matcher "
                + hit.index()
                + " (/"
                + hit.length()
                + ") is exclusive, skipped");
        continue;
      }
      step("IPMatcher on " + what + ": range matcher " + hit.index() + " (/" + hit.length() + ")");
      Optional<String> result = nested(hit.matcher().getOnMatch());
      if (result.isPresent()) {
        return result;
      }
    }
    if (hits.isEmpty()) {
      step("IPMatcher on " + what + ": no range holds it");
    }
    return onNoMatch(matcher);
  }

  private Optional<String> serverNameMatcher(
      Matcher matcher, ServerNameMatcher names, String what, Optional<String> value) {
    List<String> candidates = new ArrayList<>();
    value
        .map(v -> v.toLowerCase(java.util.Locale.ROOT))
        .ifPresent(
            v -> {
              candidates.add(v);
              for (int dot = v.indexOf('.'); dot >= 0; dot = v.indexOf('.', dot + 1)) {
                candidates.add("*" + v.substring(dot));
              }
            });
    candidates.add("*");
    for (String candidate : candidates) {
      for (ServerNameMatcher.DomainMatcher domains : names.getDomainMatchersList()) {
        boolean listed =
            domains.getDomainsList().stream().anyMatch(d -> d.equalsIgnoreCase(candidate));
        if (listed) {
          step("ServerNameMatcher on " + what + ": domain " + candidate);
          Optional<String> result = nested(domains.getOnMatch());
          if (result.isPresent()) {
            return result;
          }
        }
      }
    }
    step("ServerNameMatcher on " + what + ": no domain resolved");
    return onNoMatch(matcher);
  }

  private Optional<String> onNoMatch(Matcher matcher) {
    if (!matcher.hasOnNoMatch()) {
      step("no on_no_match: nothing found here");
      return Optional.empty();
    }
    step("on_no_match");
    return nested(matcher.getOnNoMatch());
  }

  private Optional<String> nested(OnMatch onMatch) {
    trace.enter();
    try {
      return switch (onMatch.getOnMatchCase()) {
        case MATCHER -> evaluate(onMatch.getMatcher());
        case ACTION -> action(onMatch.getAction());
        case ONMATCH_NOT_SET -> {
          step("an on_match without matcher or action finds nothing");
          yield Optional.empty();
        }
      };
    } finally {
      trace.leave();
    }
  }

  private Optional<String> action(TypedExtensionConfig action) {
    if (!action.getTypedConfig().getTypeUrl().equals(EnvoyTypes.STRING_VALUE)) {
      throw new UnsupportedOperationException(
          "the filter-chain action "
              + action.getTypedConfig().getTypeUrl()
              + " is not simulated (only google.protobuf.StringValue naming a chain)");
    }
    String chain = unpack(action, StringValue.class).getValue();
    step("action: filter chain " + chain);
    return Optional.of(chain);
  }

  private static <T extends com.google.protobuf.Message> T unpack(
      TypedExtensionConfig config, Class<T> type) {
    try {
      return config.getTypedConfig().unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "cannot unpack " + config.getName() + " as " + type.getSimpleName(), e);
    }
  }

  private void step(String message) {
    trace.add(Stage.FILTER_CHAIN, message);
  }

  private record RangeHit(int index, int length, IPMatcher.IPRangeMatcher matcher) {}
}
