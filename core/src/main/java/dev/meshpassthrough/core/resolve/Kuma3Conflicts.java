package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Kuma 3.x's conflict rules ({@code FindConflicts}): which {@code appendMatch} entries the 3.x
 * generator keeps, which it drops with a warning, and which port-less entries lose their copy on
 * one port. Unlike Kuma 2.x (see {@link MatchConflicts}), nothing fails: the first entry that
 * builds a filter chain owns it, and later entries that would build the same chain are dropped.
 *
 * <p>The rules, in the order they apply:
 *
 * <ul>
 *   <li>A non-wildcard domain without a port is dropped: the sidecar resolves the domain to pin the
 *       destination and needs a port for it (kind {@link Kind#DOMAIN_WITHOUT_PORT}).
 *   <li>Every other entry resolves to a chain: its class ({@code tcp} and {@code mysql}; {@code
 *       tls}; everything else, the HTTP class), its port (all ports when it has none) and its
 *       address: the canonical network of an IP or CIDR ({@link Destination#ipNetwork()}; an
 *       IPv4-mapped IPv6 IP stays IPv6, an IPv4-mapped CIDR collapses to IPv4), the server name of
 *       a TLS domain, or "the domains" of the port for other domains.
 *   <li>The first entry of a chain owns it. A later entry of the same chain is kept (merged) only
 *       when it has the owner's protocol and the owner's value (layer-7 domains of one protocol
 *       count as the same value: they become virtual hosts of one chain); otherwise it is dropped
 *       ({@link Kind#PROTOCOLS_CONFLICT} or {@link Kind#MATCHES_CONFLICT}).
 *   <li>A kept port-less entry is copied onto every port a kept entry names. Where that port's
 *       chain is owned by an entry with another protocol or value, the copy is not applied ({@link
 *       Suppressed}); the entry itself is kept.
 * </ul>
 *
 * <p>Immutable; {@link #find(List)} is a pure function.
 */
public final class Kuma3Conflicts {
  private static final String DOMAIN_NEEDS_PORT =
      "a domain needs a port, the sidecar resolves the domain to pin the destination";

  private final List<Integer> kept;
  private final List<Dropped> dropped;
  private final List<Suppressed> suppressed;
  private final List<String> warnings;

  private Kuma3Conflicts(List<Integer> kept, List<Dropped> dropped, List<Suppressed> suppressed) {
    this.kept = List.copyOf(kept);
    this.dropped = List.copyOf(dropped);
    this.suppressed = List.copyOf(suppressed);
    LinkedHashSet<String> texts = new LinkedHashSet<>();
    dropped.forEach(d -> texts.add(d.warning()));
    suppressed.forEach(s -> texts.add(s.warning()));
    this.warnings = List.copyOf(texts);
  }

  /**
   * Applies Kuma 3.x's conflict rules to {@code matches}.
   *
   * @param matches the entries in {@code appendMatch} order (for merged confs, the merged order),
   *     never null; an entry without a port stands for Kuma's missing port and port 0 alike
   * @return what the generator keeps, drops and suppresses
   * @throws NullPointerException when {@code matches} or an element is null
   */
  public static Kuma3Conflicts find(List<Match> matches) {
    List<Match> all = List.copyOf(matches);
    List<Integer> kept = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    Map<ChainId, Integer> owners = new HashMap<>();
    SortedSet<Integer> ports = new TreeSet<>();
    for (int index = 0; index < all.size(); index++) {
      Match match = all.get(index);
      if (match.destination() instanceof Destination.Domain && match.port().isEmpty()) {
        dropped.add(
            new Dropped(
                index, Kind.DOMAIN_WITHOUT_PORT, DOMAIN_NEEDS_PORT, match.destination().value()));
        continue;
      }
      int port = match.port().map(Port::value).orElse(0);
      ChainId chain = ChainId.of(match, port);
      Integer owner = owners.putIfAbsent(chain, index);
      Optional<Dropped> conflict =
          owner == null ? Optional.empty() : conflict(all.get(owner), match, index, chain);
      if (conflict.isPresent()) {
        dropped.add(conflict.get());
      } else {
        kept.add(index);
        if (port != 0) {
          ports.add(port);
        }
      }
    }
    List<Suppressed> suppressed = new ArrayList<>();
    for (int index : kept) {
      Match match = all.get(index);
      if (match.port().isPresent()) {
        continue;
      }
      for (int port : ports) {
        ChainId chain = ChainId.of(match, port);
        Integer owner = owners.get(chain);
        if (owner == null) {
          continue;
        }
        int portOwner = owner;
        conflict(all.get(portOwner), match, index, chain)
            .ifPresent(
                d ->
                    suppressed.add(
                        new Suppressed(
                            index,
                            port,
                            d.reason()
                                + ", matches with protocol "
                                + match.protocol().wireName()
                                + " and no port are not applied there")));
      }
    }
    return new Kuma3Conflicts(kept, dropped, suppressed);
  }

  /** Why {@code candidate} may not join {@code owner}'s chain, if it may not. */
  private static Optional<Dropped> conflict(
      Match owner, Match candidate, int index, ChainId chain) {
    String value = candidate.destination().value();
    if (owner.protocol() != candidate.protocol()) {
      return Optional.of(
          new Dropped(
              index,
              Kind.PROTOCOLS_CONFLICT,
              "protocols "
                  + owner.protocol().wireName()
                  + " and "
                  + candidate.protocol().wireName()
                  + " produce the same filter chain for "
                  + chain.text(),
              value));
    }
    boolean virtualHosts = chain.kind() == ChainClass.HTTP && candidate.destination().isDomain();
    if (virtualHosts || owner.destination().value().equals(value)) {
      return Optional.empty();
    }
    return Optional.of(
        new Dropped(
            index,
            Kind.MATCHES_CONFLICT,
            "matches \""
                + owner.destination().value()
                + "\" and \""
                + value
                + "\" produce the same filter chain for "
                + chain.text(),
            value));
  }

  /**
   * The indexes of the entries the generator keeps.
   *
   * @return the indexes into the list given to {@link #find(List)}, ascending
   */
  public List<Integer> kept() {
    return kept;
  }

  /**
   * The entries the generator drops.
   *
   * @return the dropped entries, in the order they were found (ascending index)
   */
  public List<Dropped> dropped() {
    return dropped;
  }

  /**
   * The port-less entries that lose their copy on one port.
   *
   * @return one element per entry and port, by entry index and then port, ascending
   */
  public List<Suppressed> suppressed() {
    return suppressed;
  }

  /**
   * Kuma's {@code Conf.Warnings()}: the warning of every dropped entry, then of every suppressed
   * copy, de-duplicated keeping the first occurrence.
   *
   * @return the warning texts, in order
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Why an entry was dropped. */
  public enum Kind {
    /** Another protocol already owns the entry's chain. */
    PROTOCOLS_CONFLICT,
    /** An entry of the same protocol but another value already owns the entry's chain. */
    MATCHES_CONFLICT,
    /** A non-wildcard domain without a port (or with port 0). */
    DOMAIN_WITHOUT_PORT,
    /**
     * An entry Kuma's generator cannot read (not a valid IP or CIDR, an unsupported type): only
     * when validation was bypassed. Never produced by {@link #find(List)}, whose {@link Match}
     * entries are valid by construction.
     */
    INVALID
  }

  /**
   * An entry the generator drops.
   *
   * @param index the entry's index in the list given to {@link #find(List)}
   * @param kind why it is dropped
   * @param reason Kuma's reason text, without the {@code ignoring match} prefix, for example {@code
   *     protocols http and http2 produce the same filter chain for domains on port 8080}
   * @param value the entry's value as written, which the warning names
   */
  public record Dropped(int index, Kind kind, String reason, String value) {
    /**
     * Checks for null.
     *
     * @param index the entry's index, not negative
     * @param kind why it is dropped, never null
     * @param reason Kuma's reason text, never null
     * @param value the entry's value as written, never null
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when {@code index} is negative
     */
    public Dropped {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(value, "value");
      if (index < 0) {
        throw new IllegalArgumentException("negative index " + index);
      }
    }

    /**
     * Kuma's warning.
     *
     * @return {@code ignoring match "<value>", <reason>}
     */
    public String warning() {
      return "ignoring match \"" + value + "\", " + reason;
    }

    /**
     * The field of the entry Kuma's validator reports the drop on.
     *
     * @return {@code protocol} for {@link Kind#PROTOCOLS_CONFLICT}, {@code value} for {@link
     *     Kind#MATCHES_CONFLICT}, {@code port} for {@link Kind#DOMAIN_WITHOUT_PORT}; empty for
     *     {@link Kind#INVALID}
     */
    public Optional<String> violationField() {
      return switch (kind) {
        case PROTOCOLS_CONFLICT -> Optional.of("protocol");
        case MATCHES_CONFLICT -> Optional.of("value");
        case DOMAIN_WITHOUT_PORT -> Optional.of("port");
        case INVALID -> Optional.empty();
      };
    }
  }

  /**
   * A port-less entry whose copy on one port is not applied, because another entry owns that port's
   * chain. The entry itself is kept.
   *
   * @param index the entry's index in the list given to {@link #find(List)}
   * @param port the port the copy is not applied on, 1-65535
   * @param warning Kuma's warning, for example {@code matches "192.168.0.1/32" and "192.168.0.1"
   *     produce the same filter chain for 192.168.0.1/32 on port 9090, matches with protocol tcp
   *     and no port are not applied there}
   */
  public record Suppressed(int index, int port, String warning) {
    /**
     * Checks for null.
     *
     * @param index the entry's index, not negative
     * @param port the port, 1-65535
     * @param warning Kuma's warning, never null
     * @throws NullPointerException when {@code warning} is null
     */
    public Suppressed {
      Objects.requireNonNull(warning, "warning");
    }
  }

  /** The filter-chain class: what the generator builds for a protocol. */
  private enum ChainClass {
    TCP,
    TLS,
    HTTP;

    static ChainClass of(Protocol protocol) {
      return switch (protocol) {
        case TCP, MYSQL -> TCP;
        case TLS -> TLS;
        case HTTP, HTTP2, GRPC -> HTTP;
      };
    }
  }

  /**
   * A chain's identity: class, port (0 for all ports) and address: the canonical network of an IP
   * or CIDR, the lower-case server name of a TLS domain, or empty for the domains of a port.
   */
  private record ChainId(ChainClass kind, int port, Optional<String> network, String serverName) {
    static ChainId of(Match match, int port) {
      ChainClass kind = ChainClass.of(match.protocol());
      Destination destination = match.destination();
      if (!destination.isDomain()) {
        return new ChainId(kind, port, Optional.of(network(destination)), "");
      }
      String serverName =
          kind == ChainClass.TLS ? destination.value().toLowerCase(Locale.ROOT) : "";
      return new ChainId(kind, port, Optional.empty(), serverName);
    }

    /** Kuma's chain text, for example {@code 10.0.0.0/24 on port 8080}. */
    String text() {
      String where = port == 0 ? "all ports" : "port " + port;
      if (network.isPresent()) {
        return network.get() + " on " + where;
      }
      if (!serverName.isEmpty()) {
        return "domain \"" + serverName + "\" on " + where;
      }
      return "domains on " + where;
    }

    /**
     * The canonical network text. An IPv4-mapped IPv6 IP stays an IPv6 {@code /128}; an IPv4-mapped
     * CIDR of at least 96 bits collapses to its IPv4 network.
     */
    private static String network(Destination destination) {
      IpNetwork network = destination.ipNetwork().orElseThrow();
      if (network.address() instanceof Inet4Address && network.prefixLength() > 32) {
        if (destination instanceof Destination.Ip) {
          return "::ffff:" + network.addressText() + "/" + network.prefixLength();
        }
        return new IpNetwork(network.address(), network.prefixLength() - 96).toString();
      }
      return network.toString();
    }
  }
}
