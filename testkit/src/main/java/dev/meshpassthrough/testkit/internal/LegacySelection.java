package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.internal.LegacyChainIndex.Leaf;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One walk down the legacy filter-chain tree, level by level in Envoy's order
 * (docs/envoy-behaviour.md#legacy-filter-chain-selection): at each level exactly one branch, the
 * most specific that matches, and no backtracking to a less specific one when the branch later
 * turns out empty.
 */
final class LegacySelection {
  private final ConnectionFacts facts;
  private final Tracer trace;

  LegacySelection(ConnectionFacts facts, Tracer trace) {
    this.facts = facts;
    this.trace = trace;
  }

  /** The chain, or empty when some level has no matching branch. */
  Optional<FilterChain> select(List<Leaf> all) {
    List<Leaf> narrowed = all;
    List<Function<List<Leaf>, List<Leaf>>> levels =
        List.of(
            this::byPort,
            this::byDestinationIp,
            this::byServerName,
            this::byTransport,
            this::byApplicationProtocols,
            this::byDirectSource,
            this::bySourceType,
            this::bySource,
            this::bySourcePort);
    for (Function<List<Leaf>, List<Leaf>> level : levels) {
      narrowed = level.apply(narrowed);
      if (narrowed.isEmpty()) {
        return Optional.empty();
      }
    }
    List<Leaf> candidates = narrowed;
    List<Leaf> chains =
        candidates.stream().filter(l -> l.label().equals(candidates.get(0).label())).toList();
    if (chains.size() < candidates.size()) {
      step(
          "undefined in Envoy: "
              + LegacyChainIndex.labels(candidates)
              + " meet at one leaf (an explicit 0.0.0.0/0 or ::/0 "
              + "next to chains without prefix_ranges); taking the first");
    }
    return Optional.of(chains.get(0).chain());
  }

  private List<Leaf> byPort(List<Leaf> leaves) {
    int port = facts.localPort();
    List<Leaf> exact = only(leaves, l -> l.key().port() == port);
    if (!exact.isEmpty()) {
      step(
          "destination port "
              + port
              + ": the port-"
              + port
              + " branch ("
              + LegacyChainIndex.labels(exact)
              + ")");
      return exact;
    }
    List<Leaf> any = only(leaves, l -> l.key().port() == 0);
    if (!any.isEmpty()) {
      step(
          "destination port "
              + port
              + ": no port-"
              + port
              + " branch, the any-port branch ("
              + LegacyChainIndex.labels(any)
              + ")");
    } else {
      step("destination port " + port + ": no port-" + port + " branch and no any-port branch");
    }
    return any;
  }

  private List<Leaf> byDestinationIp(List<Leaf> leaves) {
    String what =
        "destination IP " + facts.localText().substring(0, facts.localText().lastIndexOf(':'));
    return longestPrefix(leaves, what, l -> l.key().prefix(), Optional.of(facts.localAddress()));
  }

  private List<Leaf> byServerName(List<Leaf> leaves) {
    String sni = facts.serverName();
    String what = "server name " + (sni.isEmpty() ? "(none)" : sni);
    if (!sni.isEmpty()) {
      List<Leaf> exact = only(leaves, l -> l.key().serverName().equals(sni));
      if (!exact.isEmpty()) {
        step(what + ": exact match (" + LegacyChainIndex.labels(exact) + ")");
        return exact;
      }
      for (int dot = sni.indexOf('.'); dot >= 0; dot = sni.indexOf('.', dot + 1)) {
        String suffix = sni.substring(dot);
        List<Leaf> wildcard = only(leaves, l -> l.key().serverName().equals(suffix));
        if (!wildcard.isEmpty()) {
          step(what + ": wildcard *" + suffix + " (" + LegacyChainIndex.labels(wildcard) + ")");
          return wildcard;
        }
      }
    }
    return wildcardOrNothing(
        leaves, what, l -> l.key().serverName(), "chains without server_names", "server names");
  }

  private List<Leaf> byTransport(List<Leaf> leaves) {
    String transport = facts.transportOrEmpty();
    List<Leaf> exact = only(leaves, l -> l.key().transport().equals(transport));
    if (!exact.isEmpty() && !transport.isEmpty()) {
      step(
          "transport protocol "
              + transport
              + ": exact match ("
              + LegacyChainIndex.labels(exact)
              + ")");
      return exact;
    }
    return wildcardOrNothing(
        leaves,
        "transport protocol " + transport,
        l -> l.key().transport(),
        "chains without transport_protocol",
        "transport protocols");
  }

  private List<Leaf> byApplicationProtocols(List<Leaf> leaves) {
    String what = "application protocols " + ListenerFilterStage.alpnText(facts.alpn());
    for (String alpn : facts.alpn()) {
      List<Leaf> exact = only(leaves, l -> l.key().alpn().equals(alpn));
      if (!alpn.isEmpty() && !exact.isEmpty()) {
        step(what + ": " + alpn + " is listed (" + LegacyChainIndex.labels(exact) + ")");
        return exact;
      }
    }
    return wildcardOrNothing(
        leaves,
        what,
        l -> l.key().alpn(),
        "chains without application_protocols",
        "application protocols");
  }

  private List<Leaf> byDirectSource(List<Leaf> leaves) {
    if (leaves.stream().allMatch(l -> l.key().directSource().isEmpty())) {
      return leaves;
    }
    return longestPrefix(
        leaves,
        "direct source IP " + sourceText(),
        l -> l.key().directSource(),
        facts.sourceAddress());
  }

  private List<Leaf> bySourceType(List<Leaf> leaves) {
    if (leaves.stream().allMatch(l -> l.key().sourceType() == ConnectionSourceType.ANY)) {
      return leaves;
    }
    ConnectionSourceType wanted =
        facts.isLocalSource()
            ? ConnectionSourceType.SAME_IP_OR_LOOPBACK
            : ConnectionSourceType.EXTERNAL;
    List<Leaf> specific = only(leaves, l -> l.key().sourceType() == wanted);
    if (!specific.isEmpty()) {
      step("source type " + wanted + ": (" + LegacyChainIndex.labels(specific) + ")");
      return specific;
    }
    List<Leaf> any = only(leaves, l -> l.key().sourceType() == ConnectionSourceType.ANY);
    step(
        "source type "
            + wanted
            + ": "
            + (any.isEmpty()
                ? "no chain takes it"
                : "chains with source type ANY (" + LegacyChainIndex.labels(any) + ")"));
    return any;
  }

  private List<Leaf> bySource(List<Leaf> leaves) {
    if (leaves.stream().allMatch(l -> l.key().source().isEmpty())) {
      return leaves;
    }
    return longestPrefix(
        leaves, "source IP " + sourceText(), l -> l.key().source(), facts.sourceAddress());
  }

  private List<Leaf> bySourcePort(List<Leaf> leaves) {
    if (leaves.stream().allMatch(l -> l.key().sourcePort() == 0)) {
      return leaves;
    }
    int port = facts.connection().source().map(s -> s.getPort()).orElse(0);
    List<Leaf> exact = only(leaves, l -> port != 0 && l.key().sourcePort() == port);
    if (!exact.isEmpty()) {
      step("source port " + port + ": exact match (" + LegacyChainIndex.labels(exact) + ")");
      return exact;
    }
    return wildcardOrNothing(
        leaves,
        "source port " + (port == 0 ? "(unknown)" : port),
        l -> l.key().sourcePort() == 0 ? "" : "p",
        "chains without source_ports",
        "source ports");
  }

  /**
   * The leaves under the longest prefix that holds {@code address}; a catch-all counts as /0. An
   * unknown address matches only catch-alls.
   */
  private List<Leaf> longestPrefix(
      List<Leaf> leaves,
      String what,
      Function<Leaf, Optional<IpPrefix>> key,
      Optional<InetAddress> address) {
    List<Leaf> matching =
        only(
            leaves,
            l -> key.apply(l).map(p -> address.map(p::contains).orElse(false)).orElse(true));
    if (matching.isEmpty()) {
      step(
          what
              + ": no prefix holds it, among "
              + distinctKeys(leaves, l -> Leaf.prefixText(key.apply(l))));
      return List.of();
    }
    int longest =
        matching.stream()
            .mapToInt(l -> key.apply(l).map(IpPrefix::length).orElse(0))
            .max()
            .orElseThrow();
    List<Leaf> chosen =
        only(matching, l -> key.apply(l).map(IpPrefix::length).orElse(0) == longest);
    List<Leaf> hidden = only(matching, l -> key.apply(l).map(IpPrefix::length).orElse(0) < longest);
    String chosenText =
        chosen.stream()
            .map(l -> Leaf.prefixText(key.apply(l)))
            .distinct()
            .reduce((a, b) -> a + " + " + b)
            .orElseThrow();
    step(
        what
            + ": longest matching prefix "
            + chosenText
            + " ("
            + LegacyChainIndex.labels(chosen)
            + ")"
            + (hidden.isEmpty()
                ? ""
                : "; less specific, never considered: " + groupedByPrefix(hidden, key)));
    return chosen;
  }

  private List<Leaf> wildcardOrNothing(
      List<Leaf> leaves,
      String what,
      Function<Leaf, String> key,
      String wildcardText,
      String plural) {
    List<Leaf> wildcard = only(leaves, l -> key.apply(l).isEmpty());
    if (!wildcard.isEmpty()) {
      step(what + ": " + wildcardText + " (" + LegacyChainIndex.labels(wildcard) + ")");
      return wildcard;
    }
    step(
        what
            + ": no match among "
            + plural
            + " "
            + distinctKeys(
                leaves, l -> key.apply(l).startsWith(".") ? "*" + key.apply(l) : key.apply(l))
            + " and no chain without them");
    return List.of();
  }

  private String sourceText() {
    return facts
        .sourceAddress()
        .map(a -> com.google.common.net.InetAddresses.toAddrString(a))
        .orElse("(unknown)");
  }

  private static String groupedByPrefix(List<Leaf> leaves, Function<Leaf, Optional<IpPrefix>> key) {
    Map<String, List<Leaf>> groups = new LinkedHashMap<>();
    leaves.stream()
        .sorted(Comparator.comparingInt((Leaf l) -> -key.apply(l).map(IpPrefix::length).orElse(0)))
        .forEach(
            l ->
                groups
                    .computeIfAbsent(Leaf.prefixText(key.apply(l)), k -> new ArrayList<>())
                    .add(l));
    List<String> parts = new ArrayList<>();
    groups.forEach(
        (prefix, group) -> parts.add(prefix + " (" + LegacyChainIndex.labels(group) + ")"));
    return String.join(", ", parts);
  }

  private static String distinctKeys(List<Leaf> leaves, Function<Leaf, String> key) {
    return "[" + String.join(", ", leaves.stream().map(key).distinct().toList()) + "]";
  }

  private static List<Leaf> only(List<Leaf> leaves, java.util.function.Predicate<Leaf> keep) {
    return leaves.stream().filter(keep).toList();
  }

  private void step(String message) {
    LegacyChainIndex.step(trace, message);
  }
}
