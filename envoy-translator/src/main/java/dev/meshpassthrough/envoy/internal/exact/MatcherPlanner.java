package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
 * The matcher encoding's plan for the passthrough listener of one address family (the README's
 * "Legacy or matcher encoding?"; Envoy's side: docs/envoy-behaviour.md#matcher-api): per named
 * port, and for every other port, an ordered list of entries, each a complete condition and the
 * chain it leads to. The first entry whose condition holds takes the connection.
 *
 * <ol>
 *   <li>IP and CIDR entries, longest prefix first. Condition: the destination lies in the network,
 *       and for {@code tls} the transport is TLS, for {@code http}, {@code http2} and {@code grpc}
 *       the connection is plaintext HTTP; {@code tcp} and {@code mysql} take any traffic. A {@code
 *       tls} or HTTP entry whose network lies inside a {@code tcp} or {@code mysql} entry's network
 *       is left out: the {@code tcp} entry takes every connection there, as in the legacy encoding,
 *       so nothing an HTTP connection manager refuses (a request without Host) is refused.
 *   <li>TLS server names: exact names, then wildcards by descending suffix length.
 *   <li>Plaintext HTTP, to the port's HTTP chain: a virtual host per domain, 503 for other hosts.
 * </ol>
 *
 * <p>A list holds the port's entries and every port-less entry; the list of every other port holds
 * the port-less entries alone. Since each condition decides completely and the chain it leads to
 * allows every connection that meets it (the HTTP chain, last, answers 503 only to hosts no entry
 * allows), a connection reaches an allowing chain exactly when some entry allows it. The plan does
 * not depend on the order of the entries, except which of two identical entries is used. Pure.
 */
final class MatcherPlanner {
  private MatcherPlanner() {}

  /** What a connection must carry, besides its address, for an IP entry. */
  enum Traffic {
    ANY,
    TLS,
    HTTP
  }

  /** The condition of one list entry. */
  sealed interface Condition permits InNetwork, ServerName, PlaintextHttp {}

  /**
   * The destination lies in {@code network} and the traffic is of the kind.
   *
   * @param network the network
   * @param traffic what the connection must carry
   */
  record InNetwork(Network network, Traffic traffic) implements Condition {}

  /**
   * TLS whose SNI is the name, or ends in {@code .suffix} for {@code *.suffix}.
   *
   * @param name the server name in lower case
   */
  record ServerName(String name) implements Condition {
    boolean isWildcard() {
      return name.startsWith("*.");
    }
  }

  /** Plaintext HTTP: HTTP/1.0, HTTP/1.1 or h2c. */
  record PlaintextHttp() implements Condition {}

  /**
   * One list entry.
   *
   * @param condition when it takes the connection
   * @param chain the chain it takes it to
   */
  record ListEntry(Condition condition, ExactPlanner.ChainPlan chain) {}

  /**
   * The plan of one listener.
   *
   * @param ports the list of every named port that has entries, by port
   * @param otherPorts the list of every other port: the port-less entries; may be empty
   * @param inspection the ports whose entries need TLS or HTTP inspection, as in the legacy
   *     encoding
   */
  record ListenerPlan(
      SortedMap<Integer, List<ListEntry>> ports,
      List<ListEntry> otherPorts,
      Inspection inspection) {
    /** Every chain the lists lead to, each once, in order of first use. */
    List<ExactPlanner.ChainPlan> chains() {
      Map<ExactPlanner.ChainPlan, Boolean> chains = new LinkedHashMap<>();
      ports.values().forEach(list -> list.forEach(e -> chains.putIfAbsent(e.chain(), true)));
      otherPorts.forEach(e -> chains.putIfAbsent(e.chain(), true));
      return List.copyOf(chains.keySet());
    }
  }

  /**
   * Which of two entries meeting at one list entry is used: port-specific first, then by protocol
   * and value, then the first written (only identical entries get that far).
   */
  private static final Comparator<ExactLeaf.Entry> CANONICAL = ExactPlanner.PREFERENCE;

  /** The plan for the listener of {@code family}. */
  static ListenerPlan plan(List<Match> matches, IpFamily family) {
    return planEntries(ExactLeaf.relevant(matches, family));
  }

  /**
   * The plan of {@link #plan(List, IpFamily)} from the entries that apply on the listener ({@link
   * ExactLeaf#relevant}).
   */
  static ListenerPlan planEntries(List<ExactLeaf.Entry> applying) {
    List<ExactLeaf.Entry> relevant = new ArrayList<>(applying);
    relevant.sort(CANONICAL);
    ExactLeaf.ByPort byPort = ExactLeaf.ByPort.of(relevant, CANONICAL);
    List<ExactLeaf.Entry> portless = byPort.portless();
    requireBounded(byPort.own().size(), portless.size(), relevant.size());
    SortedMap<Integer, List<ListEntry>> ports = new TreeMap<>();
    for (int port : byPort.own().keySet()) {
      List<ListEntry> list = list(Optional.of(Port.of(port)), byPort.on(port));
      if (!list.isEmpty()) {
        ports.put(port, list);
      }
    }
    return new ListenerPlan(ports, list(Optional.empty(), portless), Inspection.of(relevant));
  }

  /**
   * Each named port's list repeats every port-less entry: 1,000 port-less domains beside 1,000
   * named ports make a million list entries, and an OutOfMemoryError. Refuse what could need more
   * than {@link ExactPlanner#MAX_CHAINS} entries before building any.
   */
  private static void requireBounded(int namedPorts, int portless, int entries) {
    if ((long) namedPorts * portless + entries > ExactPlanner.MAX_CHAINS) {
      throw TranslationRules.refuse(
          TranslationRules.error(
              TranslationRules.LISTENER_TOO_MANY_MATCHER_ENTRIES,
              "the matcher encoding would need more than "
                  + ExactPlanner.MAX_CHAINS
                  + " list entries on one listener (the "
                  + portless
                  + " port-less entries repeated in the list of each of the "
                  + namedPorts
                  + " named ports): give port-less entries ports, or use fewer distinct ports"));
    }
  }

  /** The list of one port (empty: every other port), from its entries in canonical order. */
  private static List<ListEntry> list(Optional<Port> port, List<ExactLeaf.Entry> entries) {
    List<ListEntry> list = new ArrayList<>();
    Map<InNetwork, ExactLeaf.Entry> networks =
        new TreeMap<>(
            (a, b) -> {
              int byNetwork = Network.MOST_SPECIFIC_FIRST.compare(a.network(), b.network());
              return byNetwork != 0 ? byNetwork : a.traffic().compareTo(b.traffic());
            });
    Map<String, ExactLeaf.Entry> names = new TreeMap<>(MatcherPlanner::compareServerNames);
    Map<String, ExactLeaf.Entry> hosts = new TreeMap<>(ExactPlanner::compareDomainNames);
    boolean ownHosts = false;
    for (ExactLeaf.Entry entry : entries) {
      Protocol protocol = entry.match().protocol();
      Optional<Network> network = entry.network();
      if (network.isPresent()) {
        networks.putIfAbsent(new InNetwork(network.get(), traffic(protocol)), entry);
      } else if (protocol == Protocol.TLS) {
        names.putIfAbsent(name(entry), entry);
      } else if (protocol.isLayer7()) {
        hosts.putIfAbsent(name(entry), entry);
        ownHosts |= entry.match().port().isPresent();
      }
      // A Domain with tcp or mysql, which validation rejects, allows nothing here, as in the legacy
      // encoding.
    }
    // A tcp or mysql entry takes any bytes, so a narrower tls or HTTP entry inside its network must
    // not come first: the HTTP connection manager could refuse what the tcp entry allows (a request
    // without Host gets 400). The legacy encoding gives such a node to the tcp entry as well.
    Set<Network> anyTraffic = new HashSet<>();
    SortedSet<Integer> anyTrafficLengths = new TreeSet<>();
    networks.keySet().stream()
        .filter(n -> n.traffic() == Traffic.ANY)
        .forEach(
            n -> {
              anyTraffic.add(n.network());
              anyTrafficLengths.add(n.network().prefixLength());
            });
    // One look-up per prefix length in use instead of a test against every tcp network.
    networks
        .keySet()
        .removeIf(
            n ->
                n.traffic() != Traffic.ANY
                    && anyTrafficLengths.headSet(n.network().prefixLength() + 1).stream()
                        .anyMatch(length -> anyTraffic.contains(n.network().truncated(length))));
    networks.forEach(
        (condition, entry) ->
            list.add(
                new ListEntry(
                    condition, chain(entry, Optional.of(condition.network()), ipLeaf(entry)))));
    names.forEach(
        (name, entry) ->
            list.add(
                new ListEntry(
                    new ServerName(name),
                    chain(entry, Optional.empty(), new ExactLeaf.TlsServerName(name, entry)))));
    if (!hosts.isEmpty()) {
      List<ExactLeaf.Host> virtualHosts = new ArrayList<>();
      hosts.forEach((name, entry) -> virtualHosts.add(new ExactLeaf.Host(name, entry)));
      // Without hosts of its own the port's chain is the any-port chain: same hosts, one chain.
      Optional<Port> chainPort = ownHosts ? port : Optional.empty();
      list.add(
          new ListEntry(
              new PlaintextHttp(),
              new ExactPlanner.ChainPlan(
                  chainPort, Optional.empty(), new ExactLeaf.Http(virtualHosts))));
    }
    return List.copyOf(list);
  }

  /** Exact names before wildcards, then the longer first, then by text. */
  private static int compareServerNames(String a, String b) {
    boolean wildA = a.startsWith("*.");
    boolean wildB = b.startsWith("*.");
    if (wildA != wildB) {
      return wildA ? 1 : -1;
    }
    int byLength = Integer.compare(b.length(), a.length());
    return byLength != 0 ? byLength : a.compareTo(b);
  }

  private static ExactPlanner.ChainPlan chain(
      ExactLeaf.Entry entry, Optional<Network> node, ExactLeaf.Leaf leaf) {
    return new ExactPlanner.ChainPlan(entry.match().port(), node, leaf);
  }

  private static Traffic traffic(Protocol protocol) {
    if (protocol == Protocol.TLS) {
      return Traffic.TLS;
    }
    return protocol.isLayer7() ? Traffic.HTTP : Traffic.ANY;
  }

  /**
   * An IP entry's chain: any traffic, any TLS, or any plaintext HTTP (tcp_proxy, no Host decision).
   */
  private static ExactLeaf.Leaf ipLeaf(ExactLeaf.Entry entry) {
    return switch (traffic(entry.match().protocol())) {
      case ANY -> new ExactLeaf.AnyTraffic(entry);
      case TLS -> new ExactLeaf.AnyTls(entry);
      case HTTP -> new ExactLeaf.AnyHttp(entry);
    };
  }

  private static String name(ExactLeaf.Entry entry) {
    Destination destination = entry.match().destination();
    return destination.value().toLowerCase(Locale.ROOT);
  }
}
