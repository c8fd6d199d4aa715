package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The connection space cut by everything the entries of two confs name: a tree per dimension
 * (traffic with its name, port, address), whose atoms are the classes no entry of either conf tells
 * apart; and, per entry, the nodes of each tree it covers.
 */
final class ConnectionSpace {
  final DimensionTree<TrafficLabel> traffic = new DimensionTree<>();
  final DimensionTree<Optional<Port>> ports = new DimensionTree<>();
  final DimensionTree<AddressLabel> addresses = new DimensionTree<>();

  private final Map<String, Integer> tlsNames = new HashMap<>();
  private final Map<String, Integer> httpNames = new HashMap<>();
  private final Map<Port, Integer> portNodes = new HashMap<>();
  private final Map<Network, Integer> networkNodes = new HashMap<>();
  private int tlsRoot;
  private int httpRoot;

  private ConnectionSpace() {}

  /** The space cut by the entries of both confs. */
  static ConnectionSpace of(PassthroughConf first, PassthroughConf second) {
    List<Match> matches = new ArrayList<>(first.matches());
    matches.addAll(second.matches());
    ConnectionSpace space = new ConnectionSpace();
    space.buildTraffic(matches);
    space.buildPorts(matches);
    space.buildAddresses(matches);
    return space;
  }

  /**
   * What {@code match} covers in each dimension; a connection is covered when it is in all three.
   */
  Cover cover(Match match) {
    BitSet portCover =
        match.port().map(p -> ports.subtree(node(portNodes, p))).orElseGet(() -> ports.subtree(0));
    Protocol protocol = match.protocol();
    boolean anyTraffic = protocol == Protocol.TCP || protocol == Protocol.MYSQL;
    boolean tls = anyTraffic || protocol == Protocol.TLS;
    boolean http = anyTraffic || !tls;
    Destination destination = match.destination();
    if (destination.isDomain()) {
      String key = nameKey(destination);
      BitSet names = new BitSet();
      if (tls) {
        names.or(traffic.subtree(node(tlsNames, key)));
      }
      if (http) {
        names.or(traffic.subtree(node(httpNames, key)));
      }
      return new Cover(names, portCover, addresses.subtree(0));
    }
    BitSet carried = anyTraffic ? traffic.subtree(0) : traffic.subtree(tls ? tlsRoot : httpRoot);
    BitSet where =
        Network.of(destination)
            .map(n -> addresses.subtree(node(networkNodes, n)))
            .orElseGet(BitSet::new);
    return new Cover(carried, portCover, where);
  }

  /** The node of a value the space was cut by: every entry's values are nodes. */
  private static <K> int node(Map<K, Integer> nodes, K key) {
    Integer node = nodes.get(key);
    if (node == null) {
      throw new IllegalStateException("no node for " + key + ": not an entry of the two confs");
    }
    return node;
  }

  private void buildTraffic(List<Match> matches) {
    TreeSet<String> patterns = new TreeSet<>();
    for (Match match : matches) {
      if (match.destination().isDomain()) {
        patterns.add(nameKey(match.destination()));
      }
    }
    int root = traffic.add(-1, new TrafficLabel(Traffic.ANY, NameSet.Kind.ANY, ""), false);
    tlsRoot = traffic.add(root, new TrafficLabel(Traffic.TLS, NameSet.Kind.ANY, ""), true);
    addNames(Traffic.TLS, tlsRoot, patterns, tlsNames);
    httpRoot = traffic.add(root, new TrafficLabel(Traffic.HTTP, NameSet.Kind.ANY, ""), true);
    addNames(Traffic.HTTP, httpRoot, patterns, httpNames);
    traffic.add(root, new TrafficLabel(Traffic.OTHER, NameSet.Kind.ANY, ""), true);
  }

  /** Adds "no name", then the name patterns nested by suffix, under a TLS or HTTP node. */
  private void addNames(
      Traffic carried, int root, TreeSet<String> patterns, Map<String, Integer> nodes) {
    traffic.add(root, new TrafficLabel(carried, NameSet.Kind.NONE, ""), true);
    Map<String, List<String>> children = new TreeMap<>();
    for (String pattern : patterns) {
      children.computeIfAbsent(parentOf(pattern, patterns), k -> new ArrayList<>()).add(pattern);
    }
    addNamesBelow(carried, root, "", children, nodes);
  }

  private void addNamesBelow(
      Traffic carried,
      int parent,
      String parentPattern,
      Map<String, List<String>> children,
      Map<String, Integer> nodes) {
    for (String pattern : children.getOrDefault(parentPattern, List.of())) {
      NameSet.Kind kind = pattern.startsWith("*.") ? NameSet.Kind.WILDCARD : NameSet.Kind.EXACT;
      int node = traffic.add(parent, new TrafficLabel(carried, kind, pattern), true);
      nodes.put(pattern, node);
      addNamesBelow(carried, node, pattern, children, nodes);
    }
  }

  /**
   * The longest wildcard among {@code patterns} whose names include every name of {@code pattern},
   * or the empty string when there is none.
   */
  private static String parentOf(String pattern, TreeSet<String> patterns) {
    String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
    String best = "";
    for (String candidate : patterns) {
      if (candidate.startsWith("*.")
          && !candidate.equals(pattern)
          && name.endsWith(candidate.substring(1))
          && candidate.length() > best.length()) {
        best = candidate;
      }
    }
    return best;
  }

  /** {@code api.example.com} or {@code *.example.com}, lower case, as the intent compares names. */
  private static String nameKey(Destination destination) {
    if (destination instanceof Destination.Domain domain) {
      return domain.canonical();
    }
    return "*." + ((Destination.WildcardDomain) destination).parent().toLowerCase(Locale.ROOT);
  }

  private void buildPorts(List<Match> matches) {
    TreeSet<Port> named = new TreeSet<>();
    matches.forEach(m -> m.port().ifPresent(named::add));
    int root = ports.add(-1, Optional.empty(), named.size() < Port.MAX - Port.MIN + 1);
    for (Port port : named) {
      portNodes.put(port, ports.add(root, Optional.of(port), true));
    }
  }

  private void buildAddresses(List<Match> matches) {
    TreeSet<Network> named = new TreeSet<>();
    matches.forEach(m -> Network.of(m.destination()).ifPresent(named::add));
    // Ascending prefix length: a network's parent, the longest one holding it, comes before it.
    Map<Network, List<Network>> children = new HashMap<>();
    List<Network> tops = new ArrayList<>();
    List<Network> seen = new ArrayList<>();
    for (Network network : named.stream().sorted(Network.BY_LENGTH).toList()) {
      Optional<Network> parent = Optional.empty();
      for (Network candidate : seen) {
        if (candidate.contains(network)
            && parent.map(p -> p.prefix() < candidate.prefix()).orElse(true)) {
          parent = Optional.of(candidate);
        }
      }
      parent.ifPresentOrElse(
          p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(network),
          () -> tops.add(network));
      seen.add(network);
    }
    int root = addresses.add(-1, new AddressLabel(Optional.empty(), Optional.empty()), false);
    for (IpFamily family : IpFamily.values()) {
      int node = addresses.add(root, new AddressLabel(Optional.of(family), Optional.empty()), true);
      List<Network> below = tops.stream().filter(n -> n.family() == family).sorted().toList();
      addresses.setAtom(node, !covers(Network.whole(family), below));
      addNetworks(node, below, children);
    }
  }

  private void addNetworks(int parent, List<Network> below, Map<Network, List<Network>> children) {
    for (Network network : below) {
      List<Network> inside = children.getOrDefault(network, List.of()).stream().sorted().toList();
      int node =
          addresses.add(
              parent,
              new AddressLabel(Optional.of(network.family()), Optional.of(network.display())),
              !covers(network, inside));
      networkNodes.put(network, node);
      addNetworks(node, inside, children);
    }
  }

  /** Whether disjoint networks inside {@code outer} fill it. */
  private static boolean covers(Network outer, List<Network> inside) {
    BigInteger sum = BigInteger.ZERO;
    for (Network network : inside) {
      sum = sum.add(network.size());
    }
    return sum.equals(outer.size());
  }

  /**
   * A node of the traffic tree: what is carried, and the name pattern.
   *
   * @param traffic {@link Traffic#ANY} for the root, else what the connections carry
   * @param kind {@link NameSet.Kind#ANY} for the root and the TLS, HTTP and other nodes
   * @param pattern the exact name or {@code *.parent}, else empty
   */
  record TrafficLabel(Traffic traffic, NameSet.Kind kind, String pattern) {}

  /**
   * A node of the address tree.
   *
   * @param family empty for the root: any address
   * @param network empty for a whole family
   */
  record AddressLabel(Optional<IpFamily> family, Optional<IpNetwork> network) {}

  /**
   * The nodes of each tree an entry covers.
   *
   * @param traffic traffic nodes
   * @param ports port nodes
   * @param addresses address nodes
   */
  record Cover(BitSet traffic, BitSet ports, BitSet addresses) {}

  /**
   * A network as numbers, for nesting.
   *
   * @param family the family
   * @param value the network address as an unsigned number (host bits cleared)
   * @param prefix the prefix length
   * @param display the network as the model holds it
   */
  record Network(IpFamily family, BigInteger value, int prefix, IpNetwork display)
      implements Comparable<Network> {
    static final java.util.Comparator<Network> BY_LENGTH =
        java.util.Comparator.comparingInt(Network::prefix).thenComparing(n -> n);

    /**
     * The network an IP or CIDR entry matches; empty for a domain, and for an IPv4-mapped IPv6
     * network, which no connection is in: Java hands such an address back as IPv4.
     */
    static Optional<Network> of(Destination destination) {
      Optional<IpNetwork> network = destination.ipNetwork();
      Optional<IpFamily> family = destination.family();
      if (network.isEmpty() || family.isEmpty()) {
        return Optional.empty();
      }
      boolean v4 = network.get().address() instanceof Inet4Address;
      if (v4 != (family.get() == IpFamily.IPV4)) {
        return Optional.empty();
      }
      return Optional.of(
          new Network(
              family.get(),
              new BigInteger(1, network.get().address().getAddress()),
              network.get().prefixLength(),
              network.get()));
    }

    /** The whole family, {@code 0.0.0.0/0} or {@code ::/0}. */
    static Network whole(IpFamily family) {
      byte[] zero = new byte[family.bits() / 8];
      try {
        return new Network(
            family,
            BigInteger.ZERO,
            0,
            new IpNetwork(java.net.InetAddress.getByAddress(zero), 0)); // bytes: no DNS
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    BigInteger size() {
      return BigInteger.ONE.shiftLeft(family.bits() - prefix);
    }

    boolean contains(Network other) {
      int shift = family.bits() - prefix;
      return family == other.family
          && prefix <= other.prefix
          && value.shiftRight(shift).equals(other.value.shiftRight(shift));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Network n
          && family == n.family
          && prefix == n.prefix
          && value.equals(n.value);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(family, value, prefix);
    }

    @Override
    public int compareTo(Network other) {
      int byFamily = family.compareTo(other.family);
      if (byFamily != 0) {
        return byFamily;
      }
      int byValue = value.compareTo(other.value);
      return byValue != 0 ? byValue : Integer.compare(prefix, other.prefix);
    }
  }
}
