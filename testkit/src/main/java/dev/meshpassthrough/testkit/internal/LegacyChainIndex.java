package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Envoy's legacy filter-chain lookup ({@code filter_chain_match}).
 *
 * <p>Each chain's match is expanded into the cross product of its repeated fields; each element is
 * a {@link Leaf} with one key per level. Two leaves with equal keys make Envoy reject the listener.
 * A connection then walks {@link LegacySelection} level by level, keeping only the most specific
 * branch at each level, with no backtracking.
 */
final class LegacyChainIndex {
  static final LegacyChainIndex EMPTY = new LegacyChainIndex(List.of(), Optional.empty());

  private final List<Leaf> leaves;
  private final Optional<String> rejection;

  private LegacyChainIndex(List<Leaf> leaves, Optional<String> rejection) {
    this.leaves = List.copyOf(leaves);
    this.rejection = rejection;
  }

  /** The index of {@code chains}, in listener order. */
  static LegacyChainIndex of(List<FilterChain> chains, Function<FilterChain, String> label) {
    List<Leaf> leaves = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (FilterChain chain : chains) {
      expand(chain, label.apply(chain), leaves, problems);
    }
    Map<Leaf.Key, Leaf> seen = new HashMap<>();
    for (Leaf leaf : leaves) {
      Leaf earlier = seen.putIfAbsent(leaf.key(), leaf);
      if (earlier != null && problems.isEmpty()) {
        problems.add(
            "multiple filter chains with overlapping matching rules are defined: "
                + earlier.label()
                + (earlier.label().equals(leaf.label())
                    ? " (a value repeated within the chain)"
                    : " and " + leaf.label()));
      }
    }
    return new LegacyChainIndex(leaves, problems.stream().findFirst());
  }

  /** Why Envoy would reject the listener, if it would. */
  Optional<String> rejection() {
    return rejection;
  }

  List<Leaf> leaves() {
    return leaves;
  }

  /** Selects a chain for {@code facts}, tracing each level. */
  Optional<FilterChain> select(ConnectionFacts facts, Tracer trace) {
    return new LegacySelection(facts, trace).select(leaves);
  }

  private static void expand(
      FilterChain chain, String label, List<Leaf> out, List<String> problems) {
    FilterChainMatch match = chain.getFilterChainMatch();
    if (match.hasDestinationPort()
        && (match.getDestinationPort().getValue() < 1
            || match.getDestinationPort().getValue() > 65535)) {
      problems.add("chain " + label + ": destination_port must be in the range [1, 65535]");
      return;
    }
    if (match.hasSuffixLen() || !match.getAddressSuffix().isEmpty()) {
      problems.add(
          "chain "
              + label
              + ": filter chain match contains unimplemented fields (address_suffix, suffix_len)");
      return;
    }
    int port = match.hasDestinationPort() ? match.getDestinationPort().getValue() : 0;
    List<Optional<IpPrefix>> prefixes = prefixes(match.getPrefixRangesList(), label, problems);
    List<String> serverNames = serverNames(match.getServerNamesList(), label, problems);
    List<String> alpns =
        match.getApplicationProtocolsList().isEmpty()
            ? List.of("")
            : match.getApplicationProtocolsList();
    List<Optional<IpPrefix>> directSources =
        prefixes(match.getDirectSourcePrefixRangesList(), label, problems);
    List<Optional<IpPrefix>> sources = prefixes(match.getSourcePrefixRangesList(), label, problems);
    List<Integer> sourcePorts =
        match.getSourcePortsList().isEmpty() ? List.of(0) : match.getSourcePortsList();
    for (Optional<IpPrefix> prefix : prefixes) {
      for (String serverName : serverNames) {
        for (String alpn : alpns) {
          for (Optional<IpPrefix> directSource : directSources) {
            for (Optional<IpPrefix> source : sources) {
              for (int sourcePort : sourcePorts) {
                out.add(
                    new Leaf(
                        chain,
                        label,
                        new Leaf.Key(
                            port,
                            prefix,
                            serverName,
                            match.getTransportProtocol(),
                            alpn,
                            directSource,
                            match.getSourceType(),
                            source,
                            sourcePort)));
              }
            }
          }
        }
      }
    }
  }

  /**
   * Empty means catch-all; Envoy files an empty list under both {@code 0.0.0.0/0} and {@code ::/0}.
   */
  private static List<Optional<IpPrefix>> prefixes(
      List<CidrRange> ranges, String label, List<String> problems) {
    if (ranges.isEmpty()) {
      return List.of(Optional.empty());
    }
    List<Optional<IpPrefix>> out = new ArrayList<>();
    for (CidrRange range : ranges) {
      Optional<IpPrefix> prefix =
          IpPrefix.of(
              range.getAddressPrefix(),
              range.hasPrefixLen()
                  ? Optional.of(range.getPrefixLen().getValue())
                  : Optional.empty());
      if (prefix.isEmpty()) {
        problems.add("chain " + label + ": malformed IP address: " + range.getAddressPrefix());
      } else {
        out.add(prefix);
      }
    }
    return out.isEmpty() ? List.of(Optional.empty()) : out;
  }

  /**
   * Exact names lowercased; {@code *.example.com} stored as {@code .example.com}; {@code ""} for
   * none.
   */
  private static List<String> serverNames(
      List<String> written, String label, List<String> problems) {
    if (written.isEmpty()) {
      return List.of("");
    }
    List<String> out = new ArrayList<>();
    for (String name : written) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("*.") && lower.indexOf('*', 1) < 0) {
        out.add(lower.substring(1));
      } else if (lower.indexOf('*') >= 0) {
        problems.add(
            "chain "
                + label
                + ": partial wildcards are not supported in \"server_names\": "
                + name);
      } else {
        out.add(lower);
      }
    }
    return out;
  }

  /**
   * One element of a chain's expanded match.
   *
   * @param chain the chain
   * @param label its name or index
   * @param key its keys, one per level
   */
  record Leaf(FilterChain chain, String label, Key key) {
    /**
     * The keys of the nine levels; empty or zero means the level's wildcard.
     *
     * @param port destination port, 0 for any
     * @param prefix destination prefix, empty for catch-all
     * @param serverName exact name, {@code .suffix} for a wildcard, {@code ""} for any
     * @param transport transport protocol, {@code ""} for any
     * @param alpn one application protocol, {@code ""} for any
     * @param directSource direct source prefix, empty for any
     * @param sourceType source type
     * @param source source prefix, empty for any
     * @param sourcePort source port, 0 for any
     */
    record Key(
        int port,
        Optional<IpPrefix> prefix,
        String serverName,
        String transport,
        String alpn,
        Optional<IpPrefix> directSource,
        ConnectionSourceType sourceType,
        Optional<IpPrefix> source,
        int sourcePort) {}

    static String prefixText(Optional<IpPrefix> prefix) {
      return prefix.map(IpPrefix::toString).orElse("catch-all");
    }
  }

  /** For tracing: the distinct labels of some leaves, in listener order. */
  static String labels(List<Leaf> leaves) {
    return String.join(", ", leaves.stream().map(Leaf::label).distinct().toList());
  }

  /** Adds a filter-chain step. */
  static void step(Tracer trace, String message) {
    trace.add(Stage.FILTER_CHAIN, message);
  }
}
