package dev.meshpassthrough.testkit;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.IPMatcher;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.SinglePredicate;
import com.github.xds.type.matcher.v3.Matcher.MatcherTree;
import com.github.xds.type.matcher.v3.Matcher.OnMatch;
import com.github.xds.type.matcher.v3.ServerNameMatcher;
import com.github.xds.type.matcher.v3.StringMatcher;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import java.util.List;
import java.util.Map;

/** Hand-built Matcher API protos for simulator tests. */
final class Matchers {
  private Matchers() {}

  static TypedExtensionConfig typed(String name, Message message) {
    return TypedExtensionConfig.newBuilder()
        .setName(name)
        .setTypedConfig(Any.pack(message))
        .build();
  }

  static TypedExtensionConfig port() {
    return typed("port", DestinationPortInput.getDefaultInstance());
  }

  static TypedExtensionConfig ip() {
    return typed("ip", DestinationIPInput.getDefaultInstance());
  }

  static TypedExtensionConfig sni() {
    return typed("sni", ServerNameInput.getDefaultInstance());
  }

  static TypedExtensionConfig transport() {
    return typed("transport", TransportProtocolInput.getDefaultInstance());
  }

  /** An action choosing the chain {@code name}. */
  static OnMatch chain(String name) {
    return OnMatch.newBuilder().setAction(typed("chain", StringValue.of(name))).build();
  }

  static OnMatch nested(Matcher matcher) {
    return OnMatch.newBuilder().setMatcher(matcher).build();
  }

  static Predicate exact(TypedExtensionConfig input, String value) {
    return Predicate.newBuilder()
        .setSinglePredicate(
            SinglePredicate.newBuilder()
                .setInput(input)
                .setValueMatch(StringMatcher.newBuilder().setExact(value)))
        .build();
  }

  static MatcherList.FieldMatcher entry(Predicate predicate, OnMatch onMatch) {
    return MatcherList.FieldMatcher.newBuilder()
        .setPredicate(predicate)
        .setOnMatch(onMatch)
        .build();
  }

  static Matcher list(MatcherList.FieldMatcher... entries) {
    return Matcher.newBuilder()
        .setMatcherList(MatcherList.newBuilder().addAllMatchers(List.of(entries)))
        .build();
  }

  static Matcher exactMap(TypedExtensionConfig input, Map<String, OnMatch> map) {
    return Matcher.newBuilder()
        .setMatcherTree(
            MatcherTree.newBuilder()
                .setInput(input)
                .setExactMatchMap(MatcherTree.MatchMap.newBuilder().putAllMap(map)))
        .build();
  }

  static Matcher prefixMap(TypedExtensionConfig input, Map<String, OnMatch> map) {
    return Matcher.newBuilder()
        .setMatcherTree(
            MatcherTree.newBuilder()
                .setInput(input)
                .setPrefixMatchMap(MatcherTree.MatchMap.newBuilder().putAllMap(map)))
        .build();
  }

  static IPMatcher.IPRangeMatcher range(String cidr, OnMatch onMatch) {
    return rangeMatcher(cidr, onMatch).build();
  }

  static IPMatcher.IPRangeMatcher exclusiveRange(String cidr, OnMatch onMatch) {
    return rangeMatcher(cidr, onMatch).setExclusive(true).build();
  }

  private static IPMatcher.IPRangeMatcher.Builder rangeMatcher(String cidr, OnMatch onMatch) {
    String[] parts = cidr.split("/");
    return IPMatcher.IPRangeMatcher.newBuilder()
        .addRanges(
            com.github.xds.core.v3.CidrRange.newBuilder()
                .setAddressPrefix(parts[0])
                .setPrefixLen(UInt32Value.of(Integer.parseInt(parts[1]))))
        .setOnMatch(onMatch);
  }

  static Matcher ipTree(IPMatcher.IPRangeMatcher... ranges) {
    return Matcher.newBuilder()
        .setMatcherTree(
            MatcherTree.newBuilder()
                .setInput(ip())
                .setCustomMatch(
                    typed(
                        "ip-matcher",
                        IPMatcher.newBuilder().addAllRangeMatchers(List.of(ranges)).build())))
        .build();
  }

  static ServerNameMatcher.DomainMatcher domains(OnMatch onMatch, String... domains) {
    return ServerNameMatcher.DomainMatcher.newBuilder()
        .addAllDomains(List.of(domains))
        .setOnMatch(onMatch)
        .build();
  }

  static Matcher sniTree(ServerNameMatcher.DomainMatcher... matchers) {
    return Matcher.newBuilder()
        .setMatcherTree(
            MatcherTree.newBuilder()
                .setInput(sni())
                .setCustomMatch(
                    typed(
                        "sni-matcher",
                        ServerNameMatcher.newBuilder()
                            .addAllDomainMatchers(List.of(matchers))
                            .build())))
        .build();
  }

  static Matcher withOnNoMatch(Matcher matcher, OnMatch onNoMatch) {
    return matcher.toBuilder().setOnNoMatch(onNoMatch).build();
  }
}
