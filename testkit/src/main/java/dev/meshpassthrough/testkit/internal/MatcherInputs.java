package dev.meshpassthrough.testkit.internal;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.SinglePredicate;
import com.github.xds.type.matcher.v3.StringMatcher;
import com.google.common.net.InetAddresses;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.model.IpLiteral;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The network inputs of the Matcher API (docs/envoy-behaviour.md#matcher-api) for one connection,
 * and the predicates over them.
 *
 * <ul>
 *   <li>{@code DestinationPortInput}: the port in decimal; {@code DestinationIPInput}: the address.
 *   <li>{@code ServerNameInput}: the lowercased SNI, absent when empty.
 *   <li>{@code TransportProtocolInput}: {@code tls} or {@code raw_buffer}.
 *   <li>{@code ApplicationProtocolInput}: the ALPN list quoted and comma-joined ({@code
 *       'h2','http/1.1'}), absent when empty.
 *   <li>{@code SourceIPInput}, {@code DirectSourceIPInput}, {@code SourcePortInput}: absent when
 *       the source is unknown; {@code SourceTypeInput}: {@code local} for a local source, else
 *       absent.
 * </ul>
 *
 * <p>A predicate over an absent input does not hold.
 */
final class MatcherInputs {
  private final ConnectionFacts facts;

  MatcherInputs(ConnectionFacts facts) {
    this.facts = facts;
  }

  /** The input's value, or empty when the input has no data for this connection. */
  Optional<String> value(TypedExtensionConfig input) {
    String type = input.getTypedConfig().getTypeUrl();
    if (type.equals(EnvoyTypes.DESTINATION_PORT_INPUT)) {
      return Optional.of(Integer.toString(facts.localPort()));
    } else if (type.equals(EnvoyTypes.DESTINATION_IP_INPUT)) {
      return Optional.of(InetAddresses.toAddrString(facts.localAddress()));
    } else if (type.equals(EnvoyTypes.SERVER_NAME_INPUT)) {
      return facts.serverName().isEmpty() ? Optional.empty() : Optional.of(facts.serverName());
    } else if (type.equals(EnvoyTypes.TRANSPORT_PROTOCOL_INPUT)) {
      return facts.transport();
    } else if (type.equals(EnvoyTypes.APPLICATION_PROTOCOL_INPUT)) {
      return facts.alpn().isEmpty()
          ? Optional.empty()
          : Optional.of(
              facts.alpn().stream().map(a -> "'" + a + "'").collect(Collectors.joining(",")));
    } else if (type.equals(EnvoyTypes.SOURCE_IP_INPUT)
        || type.equals(EnvoyTypes.DIRECT_SOURCE_IP_INPUT)) {
      return facts.sourceAddress().map(InetAddresses::toAddrString);
    } else if (type.equals(EnvoyTypes.SOURCE_PORT_INPUT)) {
      return facts.connection().source().map(s -> Integer.toString(s.getPort()));
    } else if (type.equals(EnvoyTypes.SOURCE_TYPE_INPUT)) {
      return facts.isLocalSource() ? Optional.of("local") : Optional.empty();
    }
    throw new UnsupportedOperationException(
        "the matcher input " + type + " is not simulated (only network inputs)");
  }

  /** A short name of the input, for example {@code DestinationPortInput}. */
  String inputName(TypedExtensionConfig input) {
    String type = input.getTypedConfig().getTypeUrl();
    return type.substring(type.lastIndexOf('.') + 1);
  }

  /** Whether {@code predicate} holds. */
  boolean holds(Predicate predicate) {
    return switch (predicate.getMatchTypeCase()) {
      case SINGLE_PREDICATE -> single(predicate.getSinglePredicate());
      case OR_MATCHER -> predicate.getOrMatcher().getPredicateList().stream().anyMatch(this::holds);
      case AND_MATCHER ->
          predicate.getAndMatcher().getPredicateList().stream().allMatch(this::holds);
      case NOT_MATCHER -> !holds(predicate.getNotMatcher());
      case MATCHTYPE_NOT_SET ->
          throw new UnsupportedOperationException(
              "a predicate without match_type cannot be simulated");
    };
  }

  /** The predicate in words, for the trace. */
  String describe(Predicate predicate) {
    return switch (predicate.getMatchTypeCase()) {
      case SINGLE_PREDICATE -> describeSingle(predicate.getSinglePredicate());
      case OR_MATCHER -> "(" + join(predicate.getOrMatcher().getPredicateList(), " or ") + ")";
      case AND_MATCHER -> "(" + join(predicate.getAndMatcher().getPredicateList(), " and ") + ")";
      case NOT_MATCHER -> "not " + describe(predicate.getNotMatcher());
      case MATCHTYPE_NOT_SET -> "(empty predicate)";
    };
  }

  /** The address of an input value, if it is an IP literal. */
  static Optional<InetAddress> ipAddress(String value) {
    return value.indexOf('%') < 0 && IpLiteral.parse(value).isPresent()
        ? Optional.of(InetAddresses.forString(value))
        : Optional.empty();
  }

  private boolean single(SinglePredicate predicate) {
    Optional<String> value = value(predicate.getInput());
    if (value.isEmpty()) {
      return false;
    }
    return switch (predicate.getMatcherCase()) {
      case VALUE_MATCH -> matches(predicate.getValueMatch(), value.get());
      case CUSTOM_MATCH -> customMatch(predicate.getCustomMatch(), value.get());
      case MATCHER_NOT_SET ->
          throw new UnsupportedOperationException(
              "a single_predicate without matcher cannot be simulated");
    };
  }

  private static boolean matches(StringMatcher matcher, String value) {
    boolean ignoreCase = matcher.getIgnoreCase();
    String subject = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    return switch (matcher.getMatchPatternCase()) {
      case EXACT -> subject.equals(fold(matcher.getExact(), ignoreCase));
      case PREFIX -> subject.startsWith(fold(matcher.getPrefix(), ignoreCase));
      case SUFFIX -> subject.endsWith(fold(matcher.getSuffix(), ignoreCase));
      case CONTAINS -> subject.contains(fold(matcher.getContains(), ignoreCase));
      case SAFE_REGEX ->
          Pattern.compile(matcher.getSafeRegex().getRegex()).matcher(value).matches();
      case CUSTOM, MATCHPATTERN_NOT_SET ->
          throw new UnsupportedOperationException(
              "the string matcher " + matcher.getMatchPatternCase() + " is not simulated");
    };
  }

  private static String fold(String pattern, boolean ignoreCase) {
    return ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
  }

  private static boolean customMatch(TypedExtensionConfig config, String value) {
    if (!config.getTypedConfig().getTypeUrl().equals(EnvoyTypes.IP_INPUT_MATCHER)) {
      throw new UnsupportedOperationException(
          "the input matcher " + config.getTypedConfig().getTypeUrl() + " is not simulated");
    }
    Optional<InetAddress> address = ipAddress(value);
    return address.isPresent()
        && ipRanges(config).stream().anyMatch(p -> p.contains(address.get()));
  }

  private static List<IpPrefix> ipRanges(TypedExtensionConfig config) {
    try {
      Ip ip = config.getTypedConfig().unpack(Ip.class);
      return ip.getCidrRangesList().stream()
          .map(MatcherInputs::prefix)
          .flatMap(Optional::stream)
          .toList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot unpack the input matcher " + config.getName(), e);
    }
  }

  private static Optional<IpPrefix> prefix(CidrRange range) {
    return IpPrefix.of(
        range.getAddressPrefix(),
        range.hasPrefixLen() ? Optional.of(range.getPrefixLen().getValue()) : Optional.empty());
  }

  private String describeSingle(SinglePredicate predicate) {
    String input =
        inputName(predicate.getInput())
            + " "
            + value(predicate.getInput()).map(v -> "'" + v + "'").orElse("(absent)");
    return switch (predicate.getMatcherCase()) {
      case VALUE_MATCH -> input + " " + describe(predicate.getValueMatch());
      case CUSTOM_MATCH ->
          input
              + " in "
              + (predicate
                      .getCustomMatch()
                      .getTypedConfig()
                      .getTypeUrl()
                      .equals(EnvoyTypes.IP_INPUT_MATCHER)
                  ? ipRanges(predicate.getCustomMatch()).toString()
                  : predicate.getCustomMatch().getName());
      case MATCHER_NOT_SET -> input;
    };
  }

  private static String describe(StringMatcher matcher) {
    String text =
        switch (matcher.getMatchPatternCase()) {
          case EXACT -> "== '" + matcher.getExact() + "'";
          case PREFIX -> "starts with '" + matcher.getPrefix() + "'";
          case SUFFIX -> "ends with '" + matcher.getSuffix() + "'";
          case CONTAINS -> "contains '" + matcher.getContains() + "'";
          case SAFE_REGEX -> "matches /" + matcher.getSafeRegex().getRegex() + "/";
          default -> matcher.getMatchPatternCase().toString();
        };
    return matcher.getIgnoreCase() ? text + " (ignoring case)" : text;
  }

  private String join(List<Predicate> predicates, String separator) {
    return predicates.stream().map(this::describe).collect(Collectors.joining(separator));
  }
}
