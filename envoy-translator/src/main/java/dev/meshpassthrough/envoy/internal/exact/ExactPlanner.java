package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.internal.ChainBudget;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The exact profile's decision table for the passthrough listener of one address family, built so
 * that Envoy's legacy filter-chain selection (port, then longest IP prefix, then SNI, transport and
 * ALPN, never backtracking) reaches a chain exactly for the connections some entry allows.
 *
 * <ol>
 *   <li>Port nodes: every port an entry of this family names, each holding its own entries and
 *       every port-less entry; then the any-port node with the port-less entries alone. Envoy never
 *       falls back from a named port to the any-port node, so port-less entries must be in every
 *       named port.
 *   <li>IP nodes under each port: every distinct network of the port's IP and CIDR entries (a
 *       {@code /0} counts as the catch-all), most specific first, then the catch-all. Envoy picks
 *       the longest prefix containing the destination and never looks at shorter ones, so each node
 *       carries every entry whose network contains the node, and every domain entry.
 *   <li>Leaves under each node: one chain for any traffic when a {@code tcp} or {@code mysql} entry
 *       covers the node; otherwise TLS chains (one per server name, or one for any SNI when a
 *       {@code tls} IP entry covers the node) and one plaintext-HTTP chain: tcp_proxy when an HTTP
 *       IP entry covers the node (any Host passes, so no request is parsed), else an HTTP
 *       connection manager with a virtual host per domain and a last one that answers 503.
 * </ol>
 *
 * <p>Leaves are unique: nodes differ by port or prefix, and leaves of one node by server name,
 * transport or ALPN. Chains per listener are at most {@code sum over port nodes of (IP nodes + 1) x
 * (TLS names + 2)}, and at most {@link #MAX_CHAINS}: a conf that needs more is refused with a
 * {@link TranslationException}. Pure and thread-safe.
 */
final class ExactPlanner {
  /** The most chains one listener gets; beyond it the table is refused rather than built. */
  static final int MAX_CHAINS = 100_000;

  private ExactPlanner() {}

  /**
   * The plan of one listener.
   *
   * @param chains the chains, by port (named ports ascending, the any-port node last), then node
   *     (most specific first, the catch-all last), then leaf
   * @param inspection the ports whose entries need TLS or HTTP inspection
   */
  record ListenerPlan(List<ChainPlan> chains, Inspection inspection) {}

  /**
   * One chain: where it sits in Envoy's index and what it does.
   *
   * @param port the port; empty for the any-port node, which takes connections to ports no entry
   *     names
   * @param node the IP node, or empty for the catch-all
   * @param leaf what it matches below the node and where traffic goes
   */
  record ChainPlan(Optional<Port> port, Optional<Network> node, ExactLeaf.Leaf leaf) {}

  /** The plan for the listener of {@code family}. */
  static ListenerPlan plan(List<Match> matches, IpFamily family) {
    return plan(matches, family, ChainBudget.unbounded(), false);
  }

  /**
   * The plan for the listener of {@code family}, refused as soon as the virtual hosts its HTTP
   * chains carry could not fit {@code budget}. With {@code audit}, every (port, node) also gets
   * {@link ExactLeaf.Audit} leaves for the traffic its other leaves do not take, and every named
   * port a catch-all node: Envoy never backtracks from the port or node it picked, so a connection
   * no entry allows still lands on an audit chain of its port.
   */
  static ListenerPlan plan(
      List<Match> matches, IpFamily family, ChainBudget budget, boolean audit) {
    return planEntries(ExactLeaf.relevant(matches, family), budget, audit);
  }

  /**
   * The plan of {@link #plan(List, IpFamily, ChainBudget, boolean)} from the entries that apply on
   * the listener ({@link ExactLeaf#relevant}).
   */
  static ListenerPlan planEntries(
      List<ExactLeaf.Entry> relevant, ChainBudget budget, boolean audit) {
    return planEntries(relevant, budget, audit, new DomainTables());
  }

  /**
   * The plan of {@link #planEntries(List, ChainBudget, boolean)}, with the domain tables of the
   * ports taken from {@code tables} when another listener of the translation has the same domain
   * entries on a port.
   */
  static ListenerPlan planEntries(
      List<ExactLeaf.Entry> relevant, ChainBudget budget, boolean audit, DomainTables tables) {
    Inspection inspection = Inspection.of(relevant);
    Completion completion = new Completion(audit, inspection);
    ExactLeaf.ByPort byPort =
        ExactLeaf.ByPort.of(relevant, Comparator.comparingInt(ExactLeaf.Entry::index));
    List<ExactLeaf.Entry> portless = byPort.portless();
    // Ports without domain entries of their own share the port-less entries' virtual hosts.
    Domains portlessDomains = tables.of(portless);
    HostBytes planned = new HostBytes(budget);
    List<ChainPlan> chains = new ArrayList<>();
    for (Map.Entry<Integer, List<ExactLeaf.Entry>> own : byPort.own().entrySet()) {
      int port = own.getKey();
      List<ExactLeaf.Entry> entries = byPort.on(port);
      boolean ownDomains = own.getValue().stream().anyMatch(e -> e.network().isEmpty());
      planPort(
          Optional.of(Port.of(port)),
          entries,
          ownDomains ? tables.of(entries) : portlessDomains,
          planned,
          completion,
          chains);
    }
    planPort(Optional.empty(), portless, portlessDomains, planned, completion, chains);
    return new ListenerPlan(List.copyOf(chains), inspection);
  }

  /**
   * The audit leaves a node gets: none when not auditing; else, below what the node's entries take,
   * on a port the inspectors read, TLS (unless any TLS passes), HTTP (unless an HTTP leaf exists)
   * and the rest, and on another port everything.
   */
  private record Completion(boolean audit, Inspection inspection) {
    void complete(
        Optional<Port> port,
        Optional<Network> node,
        List<ExactLeaf.Entry> networks,
        Domains domains,
        List<ExactLeaf.Entry> portEntries,
        int firstLeaf,
        List<ChainPlan> chains) {
      if (!audit) {
        return;
      }
      boolean anyTls = false;
      boolean http = false;
      for (ChainPlan chain : chains.subList(firstLeaf, chains.size())) {
        anyTls |= chain.leaf() instanceof ExactLeaf.AnyTls;
        http |= chain.leaf() instanceof ExactLeaf.AnyHttp || chain.leaf() instanceof ExactLeaf.Http;
      }
      List<ExactLeaf.Entry> here = new ArrayList<>(networks);
      domains.tlsNames().values().forEach(here::add);
      domains.hosts().forEach(h -> here.add(h.entry()));
      boolean inspected = inspection.covers(port);
      List<ExactLeaf.AuditTraffic> traffic = new ArrayList<>();
      if (inspected) {
        if (!anyTls) {
          traffic.add(ExactLeaf.AuditTraffic.TLS);
        }
        if (!http) {
          traffic.add(ExactLeaf.AuditTraffic.HTTP);
        }
        traffic.add(ExactLeaf.AuditTraffic.RAW);
      } else {
        traffic.add(ExactLeaf.AuditTraffic.ANY);
      }
      for (ExactLeaf.AuditTraffic kind : traffic) {
        Optional<ExactLeaf.Entry> nearest =
            here.isEmpty() ? nearest(kind, portEntries) : nearest(kind, here);
        chains.add(new ChainPlan(port, node, new ExactLeaf.Audit(kind, nearest)));
      }
    }
  }

  /**
   * The entry an audit leaf names as nearest: the first in merged order of the same kind of
   * traffic, else the first of any kind; empty when there is none.
   */
  static Optional<ExactLeaf.Entry> nearest(
      ExactLeaf.AuditTraffic traffic, List<ExactLeaf.Entry> candidates) {
    java.util.function.Predicate<Protocol> kind =
        switch (traffic) {
          case TLS -> p -> p == Protocol.TLS;
          case HTTP -> Protocol::isLayer7;
          case RAW, ANY -> p -> p == Protocol.TCP || p == Protocol.MYSQL;
        };
    Comparator<ExactLeaf.Entry> first = Comparator.comparingInt(ExactLeaf.Entry::index);
    return candidates.stream()
        .filter(e -> kind.test(e.match().protocol()))
        .min(first)
        .or(() -> candidates.stream().min(first));
  }

  /**
   * Domain entries apply at every node of the port: their server names and virtual hosts are
   * computed once and shared by the leaves of every node, not copied per node (10,000 networks
   * times 10,000 domains was 100 million virtual hosts in the plan before any was built).
   */
  private static void planPort(
      Optional<Port> port,
      List<ExactLeaf.Entry> entries,
      Domains domains,
      HostBytes planned,
      Completion completion,
      List<ChainPlan> chains) {
    Coverage coverage = new Coverage(entries);
    for (Network node : coverage.nodes()) {
      List<ExactLeaf.Entry> covering = coverage.at(Optional.of(node));
      int first = chains.size();
      if (planNode(port, Optional.of(node), covering, domains, chains)) {
        completion.complete(port, Optional.of(node), covering, domains, entries, first, chains);
      }
      planned.count(chains);
      requireBounded(chains);
    }
    List<ExactLeaf.Entry> covering = coverage.at(Optional.empty());
    int first = chains.size();
    if (planNode(port, Optional.empty(), covering, domains, chains)) {
      completion.complete(port, Optional.empty(), covering, domains, entries, first, chains);
    }
    planned.count(chains);
    requireBounded(chains);
  }

  /**
   * A lower bound of the encoded size of the virtual hosts planned so far, checked against the
   * budget as the plan grows: a virtual host names its domain at least twice (name and domains), so
   * it takes at least {@code 2 x length + 6} bytes.
   */
  private static final class HostBytes {
    private final ChainBudget budget;
    private long bytes;
    private int counted;

    HostBytes(ChainBudget budget) {
      this.budget = budget;
    }

    void count(List<ChainPlan> chains) {
      for (; counted < chains.size(); counted++) {
        if (chains.get(counted).leaf() instanceof ExactLeaf.Http http) {
          for (ExactLeaf.Host host : http.hosts()) {
            bytes += 2L * host.domain().length() + 6;
          }
        }
      }
      budget.requireRoomFor(
          bytes,
          "the virtual hosts of the HTTP chains (every HTTP domain at every IP node of its ports)");
    }
  }

  private static void requireBounded(List<ChainPlan> chains) {
    if (chains.size() > MAX_CHAINS) {
      throw TranslationRules.refuse(
          TranslationRules.error(
              TranslationRules.LISTENER_TOO_MANY_CHAINS,
              "the exact profile would need more than "
                  + MAX_CHAINS
                  + " filter chains on one "
                  + "listener (rules copied into every named port and every IP node they contain): give port-less entries ports, "
                  + "use fewer distinct ports or networks, or cover nodes with tcp rules"));
    }
  }

  /**
   * The server names and the virtual hosts of a port's domain entries.
   *
   * @param tlsNames the {@code tls} domain entries by name
   * @param hosts the HTTP-family domain entries as virtual hosts, one immutable list
   */
  private record Domains(Map<String, ExactLeaf.Entry> tlsNames, List<ExactLeaf.Host> hosts) {
    static Domains of(List<ExactLeaf.Entry> entries) {
      return new Domains(
          domains(entries, p -> p == Protocol.TLS),
          ExactPlanner.hosts(domains(entries, Protocol::isLayer7)));
    }
  }

  /**
   * The domain tables of ports (server names and virtual hosts) of one translation's listeners. A
   * domain entry applies to both address families, so a port's domain entries, and with them its
   * tables, are the same on both listeners: worked out once and shared, so that the chain factory,
   * which builds a hosts list's virtual hosts once per list, builds them once for both. Not
   * thread-safe: one per translation.
   */
  static final class DomainTables {
    private final Map<List<ExactLeaf.Entry>, Domains> byEntries = new HashMap<>();

    /** The tables of the domain entries of {@code entries}, one port's or the port-less ones. */
    private Domains of(List<ExactLeaf.Entry> entries) {
      List<ExactLeaf.Entry> domainEntries = new ArrayList<>();
      for (ExactLeaf.Entry entry : entries) {
        if (entry.network().isEmpty()) {
          domainEntries.add(entry);
        }
      }
      Domains known = byEntries.get(domainEntries);
      if (known == null) {
        known = Domains.of(domainEntries);
        byEntries.put(domainEntries, known);
      }
      return known;
    }
  }

  private static List<ExactLeaf.Host> hosts(Map<String, ExactLeaf.Entry> byDomain) {
    List<ExactLeaf.Host> hosts = new ArrayList<>();
    byDomain.forEach((domain, entry) -> hosts.add(new ExactLeaf.Host(domain, entry)));
    return List.copyOf(hosts);
  }

  /**
   * The IP and CIDR entries of a port by network, to find those whose network contains a node with
   * one lookup per prefix length in use, instead of testing every entry at every node (40,000 IP
   * entries took 1.6 billion tests).
   */
  private static final class Coverage {
    private final Map<Network, List<ExactLeaf.Entry>> byNetwork = new HashMap<>();
    private final int[] prefixLengths;

    Coverage(List<ExactLeaf.Entry> entries) {
      BitSet lengths = new BitSet();
      for (ExactLeaf.Entry entry : entries) {
        Optional<Network> network = entry.network();
        if (network.isPresent()) {
          byNetwork.computeIfAbsent(network.get(), n -> new ArrayList<>(1)).add(entry);
          lengths.set(network.get().prefixLength());
        }
      }
      prefixLengths = lengths.stream().toArray();
    }

    /**
     * The networks of the entries but {@code /0}, each once, most specific first: the IP nodes of
     * the port. Sorted once, rather than kept sorted in a tree as they come.
     */
    List<Network> nodes() {
      List<Network> nodes = new ArrayList<>(byNetwork.size());
      for (Network network : byNetwork.keySet()) {
        if (!network.isEverything()) {
          nodes.add(network);
        }
      }
      nodes.sort(Network.MOST_SPECIFIC_FIRST);
      return nodes;
    }

    /**
     * The IP and CIDR entries whose network contains the node (the {@code /0} ones for the
     * catch-all), in entry order.
     */
    List<ExactLeaf.Entry> at(Optional<Network> node) {
      List<ExactLeaf.Entry> covering = new ArrayList<>();
      if (node.isEmpty()) {
        byNetwork.forEach(
            (network, entries) -> {
              if (network.isEverything()) {
                covering.addAll(entries);
              }
            });
      } else {
        Network inner = node.get();
        for (int length : prefixLengths) {
          if (length > inner.prefixLength()) {
            break;
          }
          List<ExactLeaf.Entry> here = byNetwork.get(inner.truncated(length));
          if (here != null) {
            covering.addAll(here);
          }
        }
      }
      if (covering.size() > 1) {
        covering.sort(Comparator.comparingInt(ExactLeaf.Entry::index));
      }
      return covering;
    }
  }

  /** Adds the node's leaves; false when a leaf takes all its traffic (nothing is left to audit). */
  private static boolean planNode(
      Optional<Port> port,
      Optional<Network> node,
      List<ExactLeaf.Entry> networks,
      Domains domains,
      List<ChainPlan> chains) {
    Optional<ExactLeaf.Entry> anyTraffic =
        mostSpecific(networks, p -> p == Protocol.TCP || p == Protocol.MYSQL);
    if (anyTraffic.isPresent()) {
      chains.add(new ChainPlan(port, node, new ExactLeaf.AnyTraffic(anyTraffic.get())));
      return false;
    }
    Optional<ExactLeaf.Entry> anyTls = mostSpecific(networks, p -> p == Protocol.TLS);
    if (anyTls.isPresent()) {
      chains.add(new ChainPlan(port, node, new ExactLeaf.AnyTls(anyTls.get())));
    } else {
      domains
          .tlsNames()
          .forEach(
              (name, entry) ->
                  chains.add(new ChainPlan(port, node, new ExactLeaf.TlsServerName(name, entry))));
    }
    Optional<ExactLeaf.Entry> anyHttp = mostSpecific(networks, Protocol::isLayer7);
    if (anyHttp.isPresent()) {
      chains.add(new ChainPlan(port, node, new ExactLeaf.AnyHttp(anyHttp.get())));
    } else if (!domains.hosts().isEmpty()) {
      chains.add(new ChainPlan(port, node, new ExactLeaf.Http(domains.hosts())));
    }
    return true;
  }

  /**
   * Which of two entries that land on one leaf names its cluster, independent of the order they
   * were written in: an entry with a port before a port-less one, then by protocol, then by the
   * value as written; the position only separates exact duplicates, which lead to the same name.
   */
  static final Comparator<ExactLeaf.Entry> PREFERENCE = ExactPlanner::comparePreference;

  // Written out rather than composed from key extractors: sorting every entry by it (the matcher
  // planner) spent most of its time boxing and calling the extractors.
  private static int comparePreference(ExactLeaf.Entry a, ExactLeaf.Entry b) {
    boolean portlessA = a.match().port().isEmpty();
    boolean portlessB = b.match().port().isEmpty();
    if (portlessA != portlessB) {
      return portlessA ? 1 : -1;
    }
    int result = a.match().protocol().compareTo(b.match().protocol());
    if (result == 0) {
      result = a.match().destination().value().compareTo(b.match().destination().value());
    }
    return result != 0 ? result : Integer.compare(a.index(), b.index());
  }

  /**
   * The IP or CIDR entry of a protocol with the longest prefix, by {@link #PREFERENCE} on a tie.
   */
  private static Optional<ExactLeaf.Entry> mostSpecific(
      List<ExactLeaf.Entry> entries, java.util.function.Predicate<Protocol> protocol) {
    // A loop, not a stream with a composed comparator: it runs three times at every node.
    ExactLeaf.Entry best = null;
    int bestLength = -1;
    for (ExactLeaf.Entry entry : entries) {
      Optional<Network> network = entry.network();
      if (network.isEmpty() || !protocol.test(entry.match().protocol())) {
        continue;
      }
      int length = network.get().prefixLength();
      if (best == null
          || length > bestLength
          || (length == bestLength && PREFERENCE.compare(entry, best) < 0)) {
        best = entry;
        bestLength = length;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Exact names before wildcards, then by text. */
  static int compareDomainNames(String a, String b) {
    boolean wildA = a.startsWith("*.");
    boolean wildB = b.startsWith("*.");
    return wildA != wildB ? (wildA ? 1 : -1) : a.compareTo(b);
  }

  /**
   * The domain entries of a protocol by lower-case name, exact names first, then wildcards, each
   * group sorted; {@link #PREFERENCE} picks the entry of a name written twice.
   */
  private static Map<String, ExactLeaf.Entry> domains(
      List<ExactLeaf.Entry> entries, java.util.function.Predicate<Protocol> protocol) {
    // The entries sorted once by name, exact names before wildcards, and by preference among
    // entries of one name (a total order: the index breaks ties), the first of each name kept: no
    // map merged per entry, and each name's wildcard test made once, not at every comparison.
    List<NamedEntry> named = new ArrayList<>();
    for (ExactLeaf.Entry entry : entries) {
      Destination destination = entry.match().destination();
      boolean domain =
          destination instanceof Destination.Domain
              || destination instanceof Destination.WildcardDomain;
      if (domain && protocol.test(entry.match().protocol())) {
        named.add(new NamedEntry(destination.value().toLowerCase(Locale.ROOT), entry));
      }
    }
    NamedEntry[] sorted = named.toArray(new NamedEntry[0]);
    Arrays.sort(sorted, NamedEntry::compareByName);
    Map<String, ExactLeaf.Entry> byName = new LinkedHashMap<>(sorted.length * 2);
    for (NamedEntry each : sorted) {
      byName.putIfAbsent(each.name(), each.entry());
    }
    return byName;
  }

  /** A domain entry with its lower-case name, and whether the name is a wildcard. */
  private record NamedEntry(String name, boolean wildcard, ExactLeaf.Entry entry) {
    NamedEntry(String name, ExactLeaf.Entry entry) {
      this(name, name.startsWith("*."), entry);
    }

    /** As {@link ExactPlanner#compareDomainNames}, then by {@link ExactPlanner#PREFERENCE}. */
    int compareByName(NamedEntry other) {
      if (wildcard != other.wildcard) {
        return wildcard ? 1 : -1;
      }
      int result = name.compareTo(other.name);
      return result != 0 ? result : PREFERENCE.compare(entry, other.entry);
    }
  }
}
