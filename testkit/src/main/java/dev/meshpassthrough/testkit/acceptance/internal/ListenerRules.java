package dev.meshpassthrough.testkit.acceptance.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpLiteral;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Envoy's semantic rules for listeners and their filter chains
 * (docs/envoy-behaviour.md#what-envoy-rejects), and the accepted-but-wrong traps that concern them
 * (docs/envoy-behaviour.md#what-envoy-accepts-although-one-might-expect-a-rejection); a {@code
 * filter_chain_matcher} is checked by {@link MatcherRules} instead of the legacy match rules. A
 * listener needs an address; chain names must be unique only under a matcher (Envoy 1.40 accepts
 * duplicates without one); every listener and network filter needs a config of its own kind ({@link
 * FilterTypeRules}).
 */
final class ListenerRules {
  static final Set<String> TERMINAL_FILTERS =
      Set.of(
          "envoy.filters.network.tcp_proxy",
          "envoy.filters.network.http_connection_manager",
          "envoy.filters.network.direct_response");
  private static final Set<String> TERMINAL_TYPES =
      Set.of(
          "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
          "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          "type.googleapis.com/envoy.extensions.filters.network.direct_response.v3.Config");

  private ListenerRules() {}

  static void check(Listener listener, ProblemSink sink) {
    if (!listener.hasAddress() && !listener.hasApiListener()) {
      sink.add(
          "address",
          "listener.address",
          "error adding listener named '" + listener.getName() + "': address is necessary");
    }
    if (listener.getFilterChainsCount() == 0
        && !listener.hasDefaultFilterChain()
        && !listener.hasApiListener()) {
      sink.add("filterChains", "listener.no-chains", "no filter chains specified");
    }
    for (int i = 0; i < listener.getListenerFiltersCount(); i++) {
      ListenerFilter filter = listener.getListenerFilters(i);
      FilterTypeRules.check(
          filter.getName(),
          filter.getTypedConfig(),
          FilterTypeRules.Kind.LISTENER,
          "listenerFilters[" + i + "]",
          sink);
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      FilterChain chain = listener.getFilterChains(i);
      String path = "filterChains[" + i + "]";
      if (chain.getName().isEmpty()) {
        if (listener.hasFilterChainMatcher()) {
          sink.add(
              path + ".name",
              "listener.chain.name",
              "\"name\" field is required when using a listener matcher");
        }
      } else if (listener.hasFilterChainMatcher()) {
        // Without a matcher Envoy accepts duplicate chain names: only the matcher looks chains up
        // by name.
        Integer first = names.putIfAbsent(chain.getName(), i);
        if (first != null) {
          sink.add(
              path + ".name",
              "listener.chain.name-unique",
              "\"name\" field is duplicated: filterChains["
                  + first
                  + "] is also "
                  + chain.getName());
        }
      }
      checkFilters(chain, path, sink);
    }
    if (listener.hasDefaultFilterChain()) {
      checkFilters(listener.getDefaultFilterChain(), "defaultFilterChain", sink);
    }
    if (listener.hasFilterChainMatcher()) {
      MatcherRules.check(listener, sink);
    } else {
      checkLegacyMatches(listener, sink);
    }
  }

  private static void checkFilters(FilterChain chain, String path, ProblemSink sink) {
    if (chain.getFiltersCount() == 0) {
      sink.add(
          path + ".filters",
          "trap.empty-chain",
          "a chain without filters closes every connection it gets");
      return;
    }
    for (int i = 0; i < chain.getFiltersCount(); i++) {
      Filter filter = chain.getFilters(i);
      boolean terminal =
          TERMINAL_FILTERS.contains(filter.getName())
              || TERMINAL_TYPES.contains(filter.getTypedConfig().getTypeUrl());
      boolean last = i == chain.getFiltersCount() - 1;
      FilterTypeRules.check(
          filter.getName(),
          filter.getTypedConfig(),
          FilterTypeRules.Kind.NETWORK,
          path + ".filters[" + i + "]",
          sink);
      if (terminal && !last) {
        sink.add(
            path + ".filters[" + i + "]",
            "listener.filter.terminal-last",
            "terminal filter named "
                + filter.getName()
                + " must be the last filter in a network filter chain");
      } else if (!terminal && last) {
        sink.add(
            path + ".filters[" + i + "]",
            "listener.filter.terminal-last",
            "non-terminal filter named "
                + filter.getName()
                + " is the last filter in a network filter chain");
      }
    }
  }

  private static void checkLegacyMatches(Listener listener, ProblemSink sink) {
    boolean ipv4Listener = isIpv4(listener);
    Map<FilterChainMatch, Integer> wholeMatches = new HashMap<>();
    Map<String, Integer> leaves = new HashMap<>();
    Map<Integer, Set<String>> prefixesByPort = new HashMap<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      FilterChainMatch match = listener.getFilterChains(i).getFilterChainMatch();
      String path = "filterChains[" + i + "].filterChainMatch";
      Integer same = wholeMatches.putIfAbsent(match, i);
      if (same != null) {
        sink.add(
            path,
            "listener.chain.same-match",
            "filter chain '"
                + listener.getFilterChains(i).getName()
                + "' has the same matching rules defined as '"
                + listener.getFilterChains(same).getName()
                + "'");
        continue;
      }
      if (!match.getAddressSuffix().isEmpty() || match.hasSuffixLen()) {
        sink.add(
            path,
            "listener.match.unimplemented",
            "contains unimplemented fields (address_suffix, suffix_len)");
      }
      List<String> prefixes = new ArrayList<>();
      for (int r = 0; r < match.getPrefixRangesCount(); r++) {
        prefixes.add(
            normalised(
                match.getPrefixRanges(r),
                path + ".prefixRanges[" + r + "]",
                ipv4Listener,
                "listener.prefix.malformed",
                sink));
      }
      for (int s = 0; s < match.getServerNamesCount(); s++) {
        String name = match.getServerNames(s);
        int star = name.indexOf('*');
        if (name.equals("*")
            || (star >= 0 && !(star == 0 && name.startsWith("*.") && name.indexOf('*', 1) < 0))) {
          sink.add(
              path + ".serverNames[" + s + "]",
              "listener.server-name.wildcard",
              "partial wildcards are not supported in \"server_names\": " + name);
        }
      }
      int port = match.hasDestinationPort() ? match.getDestinationPort().getValue() : 0;
      prefixesByPort
          .computeIfAbsent(port, p -> new HashSet<>())
          .addAll(prefixes.isEmpty() ? List.of("") : prefixes);
      for (String leaf : leaves(match, prefixes)) {
        Integer other = leaves.putIfAbsent(leaf, i);
        if (other != null && other != i) {
          sink.add(
              path,
              "listener.chain.overlap",
              "multiple filter chains with overlapping matching rules are defined: '"
                  + listener.getFilterChains(other).getName()
                  + "' and '"
                  + listener.getFilterChains(i).getName()
                  + "'");
          break;
        } else if (other != null) {
          sink.add(
              path, "listener.chain.overlap", "a value repeats within one chain's match: " + leaf);
          break;
        }
      }
    }
    prefixesByPort.forEach(
        (port, prefixes) -> {
          if (prefixes.contains("") && (prefixes.contains("4:0/0") || prefixes.contains("6:0/0"))) {
            sink.add(
                "filterChains",
                "trap.explicit-catch-all",
                "port "
                    + port
                    + " mixes an explicit 0.0.0.0/0 or ::/0 with "
                    + "prefix-less chains: which of them Envoy picks is undefined");
          }
        });
  }

  /**
   * The leaves a match files into (docs/envoy-behaviour.md#legacy-filter-chain-selection), as keys.
   */
  private static List<String> leaves(FilterChainMatch match, List<String> prefixes) {
    List<String> keys = new ArrayList<>();
    List<String> ports =
        List.of(
            match.hasDestinationPort()
                ? String.valueOf(match.getDestinationPort().getValue())
                : "0");
    List<String> ranges = prefixes.isEmpty() ? List.of("*") : prefixes;
    List<String> names =
        match.getServerNamesList().isEmpty()
            ? List.of("*")
            : match.getServerNamesList().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    List<String> alpn =
        match.getApplicationProtocolsList().isEmpty()
            ? List.of("*")
            : match.getApplicationProtocolsList();
    String rest =
        match.getTransportProtocol()
            + "|"
            + match.getDirectSourcePrefixRangesList()
            + "|"
            + match.getSourceType()
            + "|"
            + match.getSourcePrefixRangesList()
            + "|"
            + match.getSourcePortsList();
    for (String port : ports) {
      for (String range : ranges) {
        for (String name : names) {
          for (String protocol : alpn) {
            keys.add(port + "|" + range + "|" + name + "|" + protocol + "|" + rest);
          }
        }
      }
    }
    return keys;
  }

  /**
   * The range as a key ({@code 4:<network>/<length>}), reporting a malformed address under {@code
   * malformedRule} and the prefix-range traps.
   */
  static String normalised(
      CidrRange range, String path, boolean ipv4Listener, String malformedRule, ProblemSink sink) {
    String address = range.getAddressPrefix();
    if (!IpLiteral.parse(address).isPresent() || address.indexOf('%') >= 0) {
      sink.add(path + ".addressPrefix", malformedRule, "malformed IP address: " + address);
      return address;
    }
    if (!range.hasPrefixLen()) {
      sink.add(
          path + ".prefixLen",
          "trap.prefix-len-unset",
          "an unset prefix_len means /0: the range matches every address");
    }
    InetAddress parsed = InetAddresses.forString(address);
    boolean v4 = parsed instanceof Inet4Address && address.indexOf(':') < 0;
    int bits = v4 ? 32 : 128;
    int length = range.getPrefixLen().getValue();
    if (length > bits) {
      sink.add(
          path + ".prefixLen",
          "trap.prefix-len-clamped",
          "prefix_len " + length + " exceeds " + bits + ": Envoy clamps it silently");
      length = bits;
    }
    if (v4 != ipv4Listener && !(length == 0)) {
      sink.add(
          path,
          "trap.family",
          "an "
              + (v4 ? "IPv4" : "IPv6")
              + " range on an "
              + (ipv4Listener ? "IPv4" : "IPv6")
              + " listener never matches");
    }
    byte[] bytes = parsed.getAddress();
    BigInteger value = new BigInteger(1, bytes);
    int host = bytes.length * 8 - Math.min(length, bytes.length * 8);
    if (!value.shiftRight(host).shiftLeft(host).equals(value)) {
      sink.add(
          path,
          "trap.host-bits",
          address + "/" + length + " has host bits set, which Envoy clears silently");
    }
    return (v4 ? "4:" : "6:") + value.shiftRight(host) + "/" + length;
  }

  static boolean isIpv4(Listener listener) {
    String address = listener.getAddress().getSocketAddress().getAddress();
    return IpLiteral.parse(address).isPresent()
        && InetAddresses.forString(address) instanceof Inet4Address
        && address.indexOf(':') < 0;
  }
}
