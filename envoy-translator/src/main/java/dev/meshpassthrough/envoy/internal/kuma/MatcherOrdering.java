package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.internal.ChainBudget;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kuma's ordering step: turns {@code appendMatch} into the ordered list of filter-chain matchers
 * that the listeners are built from.
 *
 * <ol>
 *   <li>One matcher per protocol, port, type and value; HTTP-family domains of one protocol and
 *       port are aggregated into one matcher with a route per domain.
 *   <li>More than one of http, http2 and grpc on one port is an error.
 *   <li>A matcher without a port is copied onto every port used anywhere in the conf.
 *   <li>The matchers are sorted: protocol ({@code tls}, {@code mysql} < {@code tcp} < {@code http}
 *       < {@code http2} < {@code grpc}), type descending (IPv6 IP, IP, IPv6 CIDR, CIDR, domain,
 *       wildcard), port descending with "every port" last, then domains by label count descending
 *       and text, CIDRs by prefix length descending and network text descending, IPs by text
 *       descending. Kuma leaves the remaining ties to map order; here the protocol and the written
 *       value break them, so the order is total and independent of the input order.
 * </ol>
 *
 * <p>Kuma 3.x first drops the conflicting matches ({@link Kuma3Conflicts}): only the kept matches
 * take part, step 2 is gone, and a port-less match is not copied onto a port where its copy is
 * suppressed.
 */
final class MatcherOrdering {
  /**
   * The most filter chains one listener gets from copying port-less matchers: as many as the
   * largest {@code appendMatch} list the parser reads by default, each on a port of its own.
   */
  static final int MAX_CHAINS = 100_000;

  private MatcherOrdering() {}

  /**
   * The ordered matchers of {@code matches}.
   *
   * @throws TranslationException when a port carries more than one of http, http2 and grpc, with
   *     Kuma's message for each such port, in port order
   */
  static List<FilterChainMatcher> order(List<Match> matches) {
    return order(matches, ChainBudget.unbounded());
  }

  /**
   * The ordered matchers of {@code matches}, refusing before copying them when the virtual hosts of
   * port-less HTTP domains, copied onto every port, could not fit {@code budget}.
   *
   * @throws TranslationException as {@link #order(List)} does, and when the copies would exceed the
   *     budget
   */
  static List<FilterChainMatcher> order(List<Match> matches, ChainBudget budget) {
    return order(matches, budget, Optional.empty());
  }

  /**
   * The ordered matchers of {@code matches} under the rules of {@code line}, without a budget.
   *
   * @throws TranslationException under {@link KumaLine#V2}, as {@link #order(List)} does
   */
  static List<FilterChainMatcher> order(List<Match> matches, KumaLine line) {
    return order(
        matches,
        ChainBudget.unbounded(),
        line == KumaLine.V3 ? Optional.of(Kuma3Conflicts.find(matches)) : Optional.empty());
  }

  /**
   * The ordered matchers of {@code matches}: with {@code conflicts} (Kuma 3.x) of the kept matches
   * only, without the layer-7 port check and without the suppressed port-less copies; without them
   * as {@link #order(List, ChainBudget)}.
   *
   * @throws TranslationException as {@link #order(List, ChainBudget)} does; the layer-7 port check
   *     only without {@code conflicts}
   */
  static List<FilterChainMatcher> order(
      List<Match> matches, ChainBudget budget, Optional<Kuma3Conflicts> conflicts) {
    Map<Key, Accumulator> byKey = new HashMap<>();
    SortedMap<Integer, Set<Protocol>> protocolsByPort = new TreeMap<>();
    Optional<Set<Integer>> kept = conflicts.map(c -> Set.copyOf(c.kept()));
    Set<IndexPort> suppressed = new HashSet<>();
    conflicts.ifPresent(
        c -> c.suppressed().forEach(x -> suppressed.add(new IndexPort(x.index(), x.port()))));
    for (int index = 0; index < matches.size(); index++) {
      if (kept.isPresent() && !kept.get().contains(index)) {
        continue;
      }
      Match match = matches.get(index);
      int port = match.port().map(Port::value).orElse(0);
      Protocol protocol = match.protocol();
      ChainMatchType type = ChainMatchType.of(match.destination());
      protocolsByPort.computeIfAbsent(port, p -> EnumSet.noneOf(Protocol.class)).add(protocol);
      if (protocol.isLayer7() && type.isDomain()) {
        Accumulator aggregated =
            byKey.computeIfAbsent(
                new Key(protocol, port, ChainMatchType.DOMAIN, ""),
                k -> new Accumulator(Optional.empty()));
        aggregated.routes.add(new VirtualHostRoute(type, match.destination().value()));
        aggregated.entries.add(index);
      } else {
        byKey
            .computeIfAbsent(
                new Key(protocol, port, type, match.destination().value()),
                k -> new Accumulator(Optional.of(match.destination())))
            .entries
            .add(index);
      }
    }
    List<Problem> errors = conflicts.isPresent() ? List.of() : layer7Conflicts(protocolsByPort);
    if (!errors.isEmpty()) {
      throw TranslationException.of(errors);
    }
    requireBoundedCopies(byKey, protocolsByPort.keySet());
    requireRoomForCopiedRoutes(byKey, protocolsByPort.keySet(), budget);
    copyPortlessOntoUsedPorts(byKey, protocolsByPort.keySet(), matches, suppressed);
    List<Sorted> ordered = new ArrayList<>(byKey.size());
    byKey.forEach(
        (key, acc) ->
            ordered.add(
                Sorted.of(
                    new FilterChainMatcher(
                        key.protocol(),
                        key.port(),
                        key.type(),
                        acc.destination,
                        sortedRoutes(acc.routes),
                        acc.entries.first()))));
    ordered.sort(MatcherOrdering::compare);
    return ordered.stream().map(Sorted::matcher).toList();
  }

  /**
   * A matcher with what its comparisons need, computed once instead of at every comparison of the
   * sort: protocol rank, type and port in one number that sorts ascending, and its CIDR's network
   * text or its domain's label count.
   */
  private record Sorted(FilterChainMatcher matcher, long primary, String networkText, int labels) {
    static Sorted of(FilterChainMatcher matcher) {
      Optional<Destination> destination = matcher.destination();
      int labels = 0;
      if (destination.isPresent() && !(destination.get() instanceof Destination.Cidr)) {
        labels = labelCount(matcher.value());
      }
      return new Sorted(matcher, primary(matcher), matcher.networkText(), labels);
    }

    /** Protocol rank ascending, then type number descending, then port descending (0 last). */
    private static long primary(FilterChainMatcher matcher) {
      return (long) protocolRank(matcher.protocol()) << 40
          | (long) (0xFFFF - matcher.matchType().kumaNumber()) << 20
          | (0xFFFFF - matcher.port());
    }
  }

  private static List<Problem> layer7Conflicts(SortedMap<Integer, Set<Protocol>> protocolsByPort) {
    List<Problem> errors = new ArrayList<>();
    protocolsByPort.forEach(
        (port, protocols) -> {
          if (protocols.stream().filter(Protocol::isLayer7).count() > 1) {
            errors.add(
                TranslationRules.error(
                    TranslationRules.PORT_LAYER7_CONFLICT,
                    "you cannot configure http, http2, grpc on the same port " + port));
          }
        });
    return errors;
  }

  /**
   * Port-less matchers times used ports can be far more chains than entries: 1,000 port-less
   * domains beside 1,000 entries on 1,000 ports make a million chains per listener, and an
   * OutOfMemoryError. Reject such a conf before copying anything.
   */
  private static void requireBoundedCopies(Map<Key, Accumulator> byKey, Set<Integer> usedPorts) {
    long portless = byKey.keySet().stream().filter(key -> key.port() == 0).count();
    long ports = usedPorts.stream().filter(port -> port != 0).count();
    long chains = byKey.size() + portless * ports;
    if (portless > 0 && chains > MAX_CHAINS) {
      throw TranslationRules.refuse(
          TranslationRules.error(
              TranslationRules.LISTENER_TOO_MANY_CHAINS,
              "the "
                  + portless
                  + " port-less filter chains, copied onto each of the "
                  + ports
                  + " ports other entries name, would make up to "
                  + chains
                  + " filter chains per listener, more than the "
                  + MAX_CHAINS
                  + " this translator builds: give the port-less entries ports"));
    }
  }

  /**
   * The chain count misses the virtual hosts: one aggregated chain of port-less HTTP domains,
   * copied onto 40,000 ports, would carry 40,000 times all of its domains, a billion virtual hosts
   * from 100,000 entries. Each virtual host names its domain at least twice (name and domains), so
   * it takes at least {@code 2 x length + 6} bytes encoded: refuse before copying what cannot fit.
   */
  private static void requireRoomForCopiedRoutes(
      Map<Key, Accumulator> byKey, Set<Integer> usedPorts, ChainBudget budget) {
    long ports = usedPorts.stream().filter(port -> port != 0).count();
    long routes = 0;
    long bytes = 0;
    for (Map.Entry<Key, Accumulator> entry : byKey.entrySet()) {
      if (entry.getKey().port() == 0) {
        routes += entry.getValue().routes.size();
        for (VirtualHostRoute route : entry.getValue().routes) {
          bytes += 2L * route.value().length() + 6;
        }
      }
    }
    if (routes > 0) {
      budget.requireRoomFor(
          bytes * (ports + 1),
          "the "
              + routes
              + " port-less HTTP domains, each a virtual host on every one of the "
              + (ports + 1)
              + " ports (the "
              + ports
              + " ports other entries name and every other port),");
    }
  }

  private static void copyPortlessOntoUsedPorts(
      Map<Key, Accumulator> byKey,
      Set<Integer> usedPorts,
      List<Match> matches,
      Set<IndexPort> suppressed) {
    List<Map.Entry<Key, Accumulator>> portless =
        byKey.entrySet().stream().filter(e -> e.getKey().port() == 0).toList();
    for (Map.Entry<Key, Accumulator> entry : portless) {
      for (int port : usedPorts) {
        if (port == 0) {
          continue;
        }
        Key source = entry.getKey();
        Accumulator from = entry.getValue();
        SortedSet<Integer> entries = new TreeSet<>(from.entries);
        int onPort = port;
        entries.removeIf(index -> suppressed.contains(new IndexPort(index, onPort)));
        if (entries.isEmpty()) {
          continue;
        }
        Accumulator copy =
            byKey.computeIfAbsent(
                new Key(source.protocol(), port, source.type(), source.value()),
                k -> new Accumulator(from.destination));
        if (entries.size() == from.entries.size()) {
          copy.routes.addAll(from.routes);
        } else if (from.destination.isEmpty()) {
          for (int index : entries) {
            Match match = matches.get(index);
            copy.routes.add(
                new VirtualHostRoute(
                    ChainMatchType.of(match.destination()), match.destination().value()));
          }
        }
        copy.entries.addAll(entries);
      }
    }
  }

  private static int compare(Sorted sa, Sorted sb) {
    int result = Long.compare(sa.primary(), sb.primary());
    if (result != 0) {
      return result;
    }
    FilterChainMatcher a = sa.matcher();
    FilterChainMatcher b = sb.matcher();
    result = compareSameTypeAndPort(sa, sb);
    if (result == 0) {
      result = a.protocol().compareTo(b.protocol());
    }
    return result != 0 ? result : a.value().compareTo(b.value());
  }

  private static int compareSameTypeAndPort(Sorted sa, Sorted sb) {
    FilterChainMatcher a = sa.matcher();
    FilterChainMatcher b = sb.matcher();
    if (a.destination().isEmpty() || b.destination().isEmpty()) {
      return 0;
    }
    Destination da = a.destination().get();
    Destination db = b.destination().get();
    if (da instanceof Destination.Cidr ca && db instanceof Destination.Cidr cb) {
      int byPrefix = Integer.compare(cb.prefixLength(), ca.prefixLength());
      return byPrefix != 0 ? byPrefix : sb.networkText().compareTo(sa.networkText());
    }
    // The matchers' values are their destinations' (a wildcard's is built at every call).
    if (da instanceof Destination.Ip && db instanceof Destination.Ip) {
      return b.value().compareTo(a.value());
    }
    int byLabels = Integer.compare(sb.labels(), sa.labels());
    return byLabels != 0 ? byLabels : a.value().compareTo(b.value());
  }

  /**
   * The virtual hosts of an aggregated chain in Kuma's order: type descending (exact domains before
   * wildcards), then more labels first, then the text. Each route's label count is computed once,
   * not at every comparison (an aggregated chain of the 10,000-entry mix sorts thousands).
   */
  private static List<VirtualHostRoute> sortedRoutes(Set<VirtualHostRoute> routes) {
    if (routes.isEmpty()) {
      return List.of();
    }
    List<SortedRoute> sorted = new ArrayList<>(routes.size());
    for (VirtualHostRoute route : routes) {
      sorted.add(new SortedRoute(route, route.matchType().kumaNumber(), labelCount(route.value())));
    }
    sorted.sort(MatcherOrdering::compareRoutes);
    List<VirtualHostRoute> result = new ArrayList<>(sorted.size());
    for (SortedRoute route : sorted) {
      result.add(route.route());
    }
    return result;
  }

  /** A route with its sort keys. */
  private record SortedRoute(VirtualHostRoute route, int kumaNumber, int labels) {}

  private static int compareRoutes(SortedRoute a, SortedRoute b) {
    int result = Integer.compare(b.kumaNumber(), a.kumaNumber());
    if (result == 0) {
      result = Integer.compare(b.labels(), a.labels());
    }
    return result != 0 ? result : a.route().value().compareTo(b.route().value());
  }

  /**
   * {@code domain.split("\\.", -1).length} without the arrays: sorting called that twice per
   * comparison, about 5% of the kuma profile's translation samples at 1,000 entries (JFR).
   */
  private static int labelCount(String domain) {
    int labels = 1;
    for (int i = 0; i < domain.length(); i++) {
      if (domain.charAt(i) == '.') {
        labels++;
      }
    }
    return labels;
  }

  /**
   * Kuma's protocol order; {@code mysql} is missing from Kuma's table and so ranks with {@code
   * tls}.
   */
  private static int protocolRank(Protocol protocol) {
    return switch (protocol) {
      case TLS, MYSQL -> 0;
      case TCP -> 1;
      case HTTP -> 2;
      case HTTP2 -> 3;
      case GRPC -> 4;
    };
  }

  private record Key(Protocol protocol, int port, ChainMatchType type, String value) {}

  /** A port-less match and a port it is not copied onto. */
  private record IndexPort(int index, int port) {}

  private static final class Accumulator {
    private final Optional<Destination> destination;
    private final Set<VirtualHostRoute> routes = new LinkedHashSet<>();
    private final SortedSet<Integer> entries = new TreeSet<>();

    Accumulator(Optional<Destination> destination) {
      this.destination = destination;
    }
  }
}
