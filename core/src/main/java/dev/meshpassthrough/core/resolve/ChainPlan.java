package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.MatchConflicts.Conflict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The filter chains the translator would build from a list of entries, reduced to what decides
 * whether Envoy takes them (docs/selection-and-merge.md#hand-off-to-the-translator): see {@link
 * MatchConflicts#find(List)}.
 *
 * <p>The translator copies every port-less chain onto every port some entry names; here the copies
 * are only looked at where a chain with the same Envoy match already sits, so the work stays linear
 * in the entries for lists without conflicts.
 */
final class ChainPlan {
  private static final Comparator<Integer> EVERY_PORT_LAST =
      Comparator.comparing((Integer p) -> p == 0).thenComparing(p -> p);

  private final List<Match> matches;
  private final Map<ChainKey, Chain> chains;
  // Entry indexes are added in ascending order, so each list is sorted.
  private final SortedMap<Integer, List<Integer>> layer7ByPort = new TreeMap<>();

  private ChainPlan(List<Match> matches) {
    this.matches = List.copyOf(matches);
    // Sized once: most entries are chains of their own, and growing rehashes every chain again.
    this.chains = new LinkedHashMap<>(capacity(this.matches.size()));
    for (int index = 0; index < this.matches.size(); index++) {
      Match match = this.matches.get(index);
      int port = match.port().map(Port::value).orElse(0);
      if (match.protocol().isLayer7()) {
        layer7ByPort.computeIfAbsent(port, p -> new ArrayList<>()).add(index);
      }
      boolean aggregated = match.protocol().isLayer7() && match.destination().isDomain();
      ChainKey key =
          new ChainKey(
              match.protocol(), port, match.type(), aggregated ? "" : match.destination().value());
      int first = index;
      chains.computeIfAbsent(
          key,
          k ->
              new Chain(
                  k, aggregated ? Optional.empty() : Optional.of(match.destination()), first));
    }
  }

  /** The plan of {@code matches}. */
  static ChainPlan of(List<Match> matches) {
    return new ChainPlan(matches);
  }

  /** Kuma's same-port conflicts, then the colliding chains. */
  List<Conflict> conflicts() {
    List<Conflict> out = new ArrayList<>();
    layer7ByPort.forEach(
        (port, entries) -> {
          Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
          entries.forEach(i -> protocols.add(matches.get(i).protocol()));
          if (protocols.size() > 1) {
            out.add(
                new Conflict(MatchConflicts.SAME_PORT_LAYER7, List.copyOf(entries), List.of(port)));
          }
        });
    out.addAll(collisions());
    return out;
  }

  private List<Conflict> collisions() {
    // A domain's chain sits on both listeners.
    Map<EnvoyMatch, List<Chain>> byMatch = new LinkedHashMap<>(capacity(2 * chains.size()));
    for (Chain chain : chains.values()) {
      for (IpFamily family : chain.families()) {
        byMatch.computeIfAbsent(chain.envoyMatch(family), k -> new ArrayList<>(1)).add(chain);
      }
    }
    SortedMap<List<Integer>, SortedSet<Integer>> pairs = new TreeMap<>(ChainPlan::compareLists);
    for (List<Chain> sameMatch : byMatch.values()) {
      if (sameMatch.size() < 2) {
        continue; // a chain alone on its match collides with nothing, on any port
      }
      SortedMap<Integer, List<Chain>> byPort = new TreeMap<>();
      for (Chain chain : sameMatch) {
        byPort.computeIfAbsent(chain.key.port(), p -> new ArrayList<>()).add(chain);
      }
      List<Chain> portless = byPort.getOrDefault(0, List.of());
      byPort.forEach(
          (port, written) -> {
            if (written.size() == 1 && (port == 0 || portless.isEmpty())) {
              return; // one chain alone on its match and port: nothing to collide with
            }
            List<Member> members = new ArrayList<>();
            Map<ChainKey, Member> byKey = new LinkedHashMap<>();
            for (Chain chain : written) {
              Member member = new Member(chain.key, chain.first, true);
              members.add(member);
              byKey.put(chain.key, member);
            }
            if (port != 0) {
              for (Chain copied : portless) {
                ChainKey onPort = copied.key.onPort(port);
                Member joined = byKey.get(onPort);
                if (joined != null) {
                  joined.first = Math.min(joined.first, copied.first);
                } else {
                  members.add(new Member(onPort, copied.first, false));
                }
              }
            }
            collide(members, port, pairs);
          });
    }
    List<Conflict> out = new ArrayList<>();
    pairs.forEach(
        (entries, ports) ->
            out.add(new Conflict(MatchConflicts.SAME_CHAIN_MATCH, entries, List.copyOf(ports))));
    return out;
  }

  /**
   * Reports each chain that shares its Envoy match with the first one (the one of the first entry).
   */
  private static void collide(
      List<Member> members, int port, SortedMap<List<Integer>, SortedSet<Integer>> pairs) {
    if (members.size() < 2) {
      return;
    }
    Member first = members.stream().min(Comparator.comparingInt(m -> m.first)).orElseThrow();
    for (Member other : members) {
      if (other != first && !saidByKuma(first, other)) {
        pairs
            .computeIfAbsent(List.of(first.first, other.first), k -> new TreeSet<>(EVERY_PORT_LAST))
            .add(port);
      }
    }
  }

  /**
   * Two layer-7 chains of different protocols, both written on the port: Kuma's check names them.
   */
  private static boolean saidByKuma(Member one, Member other) {
    return one.key.protocol().isLayer7()
        && other.key.protocol().isLayer7()
        && one.key.protocol() != other.key.protocol()
        && one.written
        && other.written;
  }

  /** A hash table capacity that holds {@code entries} without growing. */
  private static int capacity(int entries) {
    return entries * 4 / 3 + 1;
  }

  private static int compareLists(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int byElement = Integer.compare(a.get(i), b.get(i));
      if (byElement != 0) {
        return byElement;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** What the translator keys its chains on: protocol, port, type and value as written. */
  private record ChainKey(Protocol protocol, int port, MatchType type, String value) {
    ChainKey onPort(int newPort) {
      return new ChainKey(protocol, newPort, type, value);
    }
  }

  /**
   * What Envoy compares, but the port: listener, transport and application protocols, server name
   * (a TLS domain in lower case), network (an address).
   */
  private record EnvoyMatch(
      IpFamily listener,
      String protocols,
      Optional<String> serverName,
      Optional<IpNetwork> network) {}

  /**
   * A chain on one port: written there, or a port-less chain's copy. Only the first of its entries
   * matters (conflicts name chains by it), and a port-less copy joining a written chain can lower
   * it.
   */
  private static final class Member {
    private final ChainKey key;
    private int first;
    private final boolean written;

    Member(ChainKey key, int first, boolean written) {
      this.key = key;
      this.first = first;
      this.written = written;
    }
  }

  private static final class Chain {
    private final ChainKey key;
    private final Optional<Destination> destination;
    // The first entry of the chain: entries are added in ascending order.
    private final int first;

    Chain(ChainKey key, Optional<Destination> destination, int first) {
      this.key = key;
      this.destination = destination;
      this.first = first;
    }

    /** Domains sit on both passthrough listeners, addresses on their family's. */
    List<IpFamily> families() {
      return destination
          .flatMap(Destination::family)
          .map(List::of)
          .orElse(List.of(IpFamily.IPV4, IpFamily.IPV6));
    }

    EnvoyMatch envoyMatch(IpFamily family) {
      Protocol protocol = key.protocol();
      String protocols =
          protocol.isLayer7() ? "raw_buffer+http" : protocol == Protocol.TLS ? "tls" : "raw_buffer";
      // Only TLS matches a domain in the chain match (SNI); HTTP routes by Host, TCP cannot tell.
      Optional<String> serverName =
          destination
              .filter(d -> d.isDomain() && protocol == Protocol.TLS)
              .map(d -> d.value().toLowerCase(Locale.ROOT));
      return new EnvoyMatch(
          family, protocols, serverName, destination.flatMap(Destination::ipNetwork));
    }
  }
}
