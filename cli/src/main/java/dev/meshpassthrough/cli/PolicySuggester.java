package dev.meshpassthrough.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.HostnameSyntax;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Suggests a {@code MeshPassthrough} conf ({@code passthroughMode: Matched}) whose {@code
 * appendMatch} allows every observed connection: what {@code meshpassthrough suggest} prints.
 *
 * <p>Each connection needs one entry: TLS by its SNI ({@code Domain}, port, {@code tls}), HTTP by
 * the name of its Host ({@code Domain}, port, the protocol seen: {@code http}, {@code http2} or
 * {@code grpc}), everything else, and TLS or HTTP without a name that can be a {@code Domain}
 * value, by the dialed address ({@code IP}, port, the protocol seen). Names are lower-cased. An
 * entry needed by fewer than {@link Options#minCount()} connections is left out and listed in
 * {@link Suggestion#leftOut()}. Then, in this order:
 *
 * <ol>
 *   <li>a port that Kuma's strict rules would refuse as seen is widened, see {@link PortProtocols};
 *   <li>with {@link Options#wildcardThreshold()}, sibling names become wildcards, see {@link
 *       DomainWildcards};
 *   <li>with {@link Options#cidrMinPrefix()} or {@link Options#cidr6MinPrefix()}, addresses become
 *       networks, see {@link CidrAggregation}; otherwise an IP is never widened.
 * </ol>
 *
 * <p>The result validates strictly, its exact-profile translation forwards every kept connection,
 * and it is deterministic: entries are sorted by type ({@code Domain}, {@code IP}, {@code CIDR}),
 * value (names as text, addresses IPv4 first and by number), port and protocol, whatever the order
 * of the connections. Not thread-safe: one suggester tallies one input.
 */
public final class PolicySuggester {
  /** Orders entries by type, value, port and protocol. */
  static final Comparator<Match> ORDER =
      Comparator.comparing(Match::type)
          .thenComparing(m -> m.destination(), PolicySuggester::compareValues)
          .thenComparing(m -> m.port().orElseThrow())
          .thenComparing(Match::protocol);

  private static final Comparator<IpNetwork> NETWORK_ORDER =
      Comparator.comparing((IpNetwork n) -> familyOf(n.address()))
          .thenComparing(n -> InetAddresses.toBigInteger(n.address()))
          .thenComparingInt(IpNetwork::prefixLength);

  private final Options options;
  private final Map<ConnectionClass, Long> classes = new HashMap<>();
  private long connections;

  private PolicySuggester(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * A suggester with nothing tallied yet.
   *
   * @param options how to suggest, not null
   * @return a new suggester, never null
   */
  public static PolicySuggester of(Options options) {
    return new PolicySuggester(options);
  }

  /**
   * How to suggest.
   *
   * @param minCount the fewest connections an entry needs to be kept, at least 1
   * @param wildcardThreshold how many sibling names become a wildcard (at least 2); empty: never
   * @param cidrMinPrefix the widest IPv4 network written (0 to 32); empty: IPv4 addresses stay IPs
   * @param cidr6MinPrefix the widest IPv6 network written (0 to 128); empty: IPv6 addresses stay
   *     IPs
   */
  public record Options(
      int minCount,
      OptionalInt wildcardThreshold,
      OptionalInt cidrMinPrefix,
      OptionalInt cidr6MinPrefix) {
    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException when a value is out of its range
     */
    public Options {
      check(minCount >= 1, "the minimum count must be at least 1, got " + minCount);
      wildcardThreshold.ifPresent(
          k -> check(k >= 2, "the wildcard threshold must be at least 2, got " + k));
      cidrMinPrefix.ifPresent(
          p -> check(p >= 0 && p <= 32, "the IPv4 prefix must be within 0-32, got " + p));
      cidr6MinPrefix.ifPresent(
          p -> check(p >= 0 && p <= 128, "the IPv6 prefix must be within 0-128, got " + p));
    }

    /**
     * Every connection kept, no wildcard, no network.
     *
     * @return options with a minimum count of 1 and nothing widened
     */
    public static Options defaults() {
      return new Options(1, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    private static void check(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * An entry left out by {@link Options#minCount()}.
   *
   * @param entry the entry the connections needed
   * @param count how many connections needed it
   */
  public record LeftOut(Match entry, long count) {}

  /**
   * The suggestion.
   *
   * @param conf the conf: {@code Matched}, with the entries sorted as the class comment says
   * @param connections how many connections were tallied
   * @param leftOut the entries left out by the minimum count, sorted like the entries
   * @param notes what was widened and why, one sentence each, sorted by port
   */
  public record Suggestion(
      PassthroughConf conf, long connections, List<LeftOut> leftOut, List<String> notes) {
    /**
     * Copies the lists.
     *
     * @throws NullPointerException when an argument or an element is null
     */
    public Suggestion {
      Objects.requireNonNull(conf, "conf");
      leftOut = List.copyOf(leftOut);
      notes = List.copyOf(notes);
    }

    /**
     * How many connections the left-out entries needed.
     *
     * @return the sum of the counts of {@link #leftOut()}
     */
    public long leftOutConnections() {
      return leftOut.stream().mapToLong(LeftOut::count).sum();
    }
  }

  /**
   * Tallies one observed connection.
   *
   * @param connection its class, not null
   */
  public void accept(ConnectionClass connection) {
    classes.merge(Objects.requireNonNull(connection, "connection"), 1L, Long::sum);
    connections++;
  }

  /**
   * The suggestion for the connections tallied so far.
   *
   * @return the suggestion; its conf has no entry when no connection was kept
   */
  public Suggestion suggest() {
    Map<Match, PortProtocols.Need> needs = new HashMap<>();
    for (Map.Entry<ConnectionClass, Long> tally : classes.entrySet()) {
      ConnectionClass c = tally.getKey();
      Match entry = entryFor(c);
      needs
          .computeIfAbsent(entry, PortProtocols.Need::new)
          .add(c.connection().destination(), tally.getValue());
    }
    List<LeftOut> leftOut = new ArrayList<>();
    List<PortProtocols.Need> kept = new ArrayList<>();
    for (PortProtocols.Need need : needs.values()) {
      if (need.count() < options.minCount()) {
        leftOut.add(new LeftOut(need.entry(), need.count()));
      } else {
        kept.add(need);
      }
    }
    leftOut.sort(Comparator.comparing(LeftOut::entry, ORDER));
    PortProtocols.Resolved resolved = PortProtocols.resolve(kept);
    List<String> notes = new ArrayList<>(resolved.notes());
    List<Match> matches = widen(resolved.entries(), notes);
    return new Suggestion(
        PassthroughConf.of(PassthroughMode.MATCHED, matches), connections, leftOut, notes);
  }

  /** The entry one connection needs, before any widening. */
  static Match entryFor(ConnectionClass c) {
    Connection connection = c.connection();
    Optional<String> name = Optional.empty();
    if (connection.payload() instanceof Connection.TlsClientHello hello) {
      name = hello.serverName();
    } else if (connection.payload() instanceof Connection.HttpRequest request) {
      name = request.host().flatMap(PolicySuggester::hostName);
    }
    Optional<String> domain =
        c.protocol() == Protocol.TCP || c.protocol() == Protocol.MYSQL
            ? Optional.empty()
            : name.flatMap(PolicySuggester::domain);
    Destination destination =
        domain.isPresent()
            ? new Destination.Domain(domain.get())
            : address(connection.destination());
    return Match.of(destination, connection.port(), c.protocol());
  }

  /** The IP destination of an address, written canonically. */
  static Destination address(InetAddress address) {
    return Destination.Ip.parse(InetAddresses.toAddrString(address));
  }

  /** The name of a Host without its port; empty when it is not host[:port]. */
  private static Optional<String> hostName(String host) {
    try {
      return Optional.of(HostAndPort.fromString(host).getHost());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The name in lower case when it can be a {@code Domain} value: a valid name, not an address. */
  private static Optional<String> domain(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (IpLiteral.parse(lower).isPresent() || HostnameSyntax.problem(lower).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(lower);
  }

  /** Wildcards and networks, per port and protocol; the entries sorted. */
  private List<Match> widen(List<Match> entries, List<String> notes) {
    Map<PortAndProtocol, Group> groups = new TreeMap<>();
    for (Match entry : entries) {
      Group group =
          groups.computeIfAbsent(
              new PortAndProtocol(entry.port().orElseThrow().value(), entry.protocol()),
              k -> new Group());
      if (entry.destination() instanceof Destination.Domain domain) {
        group.names.add(domain.name());
      } else if (entry.destination() instanceof Destination.Ip ip) {
        group.addresses.add(ip.address());
      }
    }
    List<Match> matches = new ArrayList<>();
    for (Map.Entry<PortAndProtocol, Group> g : groups.entrySet()) {
      int port = g.getKey().port();
      Protocol protocol = g.getKey().protocol();
      String where = port + "/" + protocol.wireName();
      List<String> values = List.copyOf(g.getValue().names);
      if (options.wildcardThreshold().isPresent()) {
        DomainWildcards.Widened widened =
            DomainWildcards.widen(
                g.getValue().names, options.wildcardThreshold().getAsInt(), where);
        values = widened.values();
        notes.addAll(widened.notes());
      }
      for (String value : values) {
        matches.add(Match.of(Destination.of(MatchType.DOMAIN, value), port, protocol));
      }
      for (IpFamily family : IpFamily.values()) {
        List<InetAddress> addresses =
            g.getValue().addresses.stream().filter(a -> familyOf(a) == family).toList();
        OptionalInt prefix =
            family == IpFamily.IPV4 ? options.cidrMinPrefix() : options.cidr6MinPrefix();
        if (prefix.isEmpty()) {
          addresses.forEach(a -> matches.add(Match.of(address(a), port, protocol)));
        } else if (!addresses.isEmpty()) {
          CidrAggregation.Aggregated aggregated =
              CidrAggregation.aggregate(addresses, family, prefix.getAsInt(), where);
          aggregated.destinations().forEach(d -> matches.add(Match.of(d, port, protocol)));
          notes.addAll(aggregated.notes());
        }
      }
    }
    matches.sort(ORDER);
    return matches;
  }

  private static IpFamily familyOf(InetAddress address) {
    return address instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /** Names as text; addresses and networks IPv4 first, by number, then by prefix length. */
  private static int compareValues(Destination a, Destination b) {
    if (a.isDomain() || b.isDomain()) {
      return a.value().compareTo(b.value());
    }
    return NETWORK_ORDER.compare(a.ipNetwork().orElseThrow(), b.ipNetwork().orElseThrow());
  }

  /** A port and a protocol, ordered by port, then protocol. */
  private record PortAndProtocol(int port, Protocol protocol)
      implements Comparable<PortAndProtocol> {
    @Override
    public int compareTo(PortAndProtocol other) {
      return Comparator.comparingInt(PortAndProtocol::port)
          .thenComparing(PortAndProtocol::protocol)
          .compare(this, other);
    }
  }

  /** The names and addresses of one port and protocol. */
  private static final class Group {
    final SortedSet<String> names = new TreeSet<>();
    final Set<InetAddress> addresses = new HashSet<>();
  }
}
