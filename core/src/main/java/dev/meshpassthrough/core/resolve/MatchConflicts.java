package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What goes wrong when {@code appendMatch} entries meet in one proxy's Envoy configuration: the one
 * implementation shared by the validator (entries of one policy) and the resolver (entries merged
 * from several policies, docs/selection-and-merge.md#conflicts-between-policies).
 *
 * <p>{@link #find(List)} follows the translator step by step
 * (docs/selection-and-merge.md#hand-off-to-the-translator): Kuma's check that a port carries at
 * most one of {@code http}, {@code http2} and {@code grpc}; then the filter chains, entries of one
 * protocol, port and value sharing a chain, layer-7 domains of one protocol and port sharing one,
 * port-less entries copied onto every port some entry names; then the chains of each passthrough
 * listener (domains on both, addresses on their family's) whose matches Envoy cannot tell apart:
 * same transport and application protocols, port, server name (in lower case) and network.
 * Stateless; every method is a pure function.
 */
public final class MatchConflicts {
  /** Rule id of Kuma's translator check: more than one of http, http2 and grpc on one port. */
  public static final String SAME_PORT_LAYER7 = "kuma.translate.layer7-same-port";

  /** Rule id of two filter chains with the same match, which Envoy rejects. */
  public static final String SAME_CHAIN_MATCH = "translate.chain.same-match";

  private MatchConflicts() {}

  /**
   * Every conflict of {@code matches}, in a deterministic order: Kuma's same-port conflicts by port
   * (every port, written 0, first), then colliding chains by the indexes of their entries. Empty
   * when the translator takes the list.
   *
   * @param matches the entries, in the order the translator takes them
   * @return the conflicts
   */
  public static List<Conflict> find(List<Match> matches) {
    return ChainPlan.of(matches).conflicts();
  }

  /**
   * Whether two entries give layer-7 chains Envoy cannot tell apart, whatever else the list holds:
   * different ones of {@code http}, {@code http2} and {@code grpc}, ports that meet (a port-less
   * entry meets every port) and the same chain address (every domain shares the layer-7 chain of
   * its protocol and port; an address matches on its network).
   *
   * @param a one entry
   * @param b another entry
   * @return whether Envoy cannot tell their chains apart
   */
  public static boolean layer7Clash(Match a, Match b) {
    return a.protocol().isLayer7()
        && b.protocol().isLayer7()
        && a.protocol() != b.protocol()
        && portsMeet(a.port(), b.port())
        && a.destination().ipNetwork().equals(b.destination().ipNetwork());
  }

  /**
   * What makes two entries the same entry, in any spelling: the domain in lower case, or the
   * network of an IP or CIDR ({@link Destination#ipNetwork()}); the port; the protocol.
   *
   * @param match the entry
   * @return its identity
   */
  public static EntryIdentity identity(Match match) {
    Destination destination = match.destination();
    Optional<IpNetwork> network = destination.ipNetwork();
    Optional<String> domain =
        network.isPresent()
            ? Optional.empty()
            : Optional.of(destination.value().toLowerCase(Locale.ROOT));
    return new EntryIdentity(domain, network, match.port(), match.protocol());
  }

  private static boolean portsMeet(Optional<Port> a, Optional<Port> b) {
    return a.isEmpty() || b.isEmpty() || a.equals(b);
  }

  /**
   * The identity of an entry; see {@link MatchConflicts#identity(Match)}.
   *
   * @param domain a domain's value in lower case ({@code *.example.com} for a wildcard), empty for
   *     an IP or CIDR
   * @param network the network of an IP or CIDR, empty for a domain
   * @param port the port, empty for every port
   * @param protocol the protocol
   */
  public record EntryIdentity(
      Optional<String> domain,
      Optional<IpNetwork> network,
      Optional<Port> port,
      Protocol protocol) {
    /**
     * Checks for null and that exactly one of {@code domain} and {@code network} is present.
     *
     * @param domain a domain's value in lower case, or empty for an IP or CIDR
     * @param network the network of an IP or CIDR, or empty for a domain
     * @param port the port, or empty for every port
     * @param protocol the protocol, never null
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when both or neither are present
     */
    public EntryIdentity {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(protocol, "protocol");
      if (domain.isPresent() == network.isPresent()) {
        throw new IllegalArgumentException("an entry is either a domain or a network");
      }
    }
  }

  /**
   * One conflict.
   *
   * @param ruleId {@link #SAME_PORT_LAYER7} or {@link #SAME_CHAIN_MATCH}
   * @param entries the indexes of the entries involved, ascending: every layer-7 entry written on
   *     the port, or the first entry of each of the two colliding chains
   * @param ports the ports where it happens, ascending, 0 for every port
   */
  public record Conflict(String ruleId, List<Integer> entries, List<Integer> ports) {
    private static final int MAX_NAMED = 10;

    /**
     * Copies the lists.
     *
     * @param ruleId {@link #SAME_PORT_LAYER7} or {@link #SAME_CHAIN_MATCH}, never null
     * @param entries the indexes of the entries involved, ascending; copied
     * @param ports the ports where it happens, ascending, 0 for every port; copied
     * @throws NullPointerException when a component or a list element is null
     */
    public Conflict {
      Objects.requireNonNull(ruleId, "ruleId");
      entries = List.copyOf(entries);
      ports = List.copyOf(ports);
    }

    /**
     * The message, each entry rendered by {@code entryName}. Kuma's check keeps Kuma's text ({@code
     * you cannot configure http, http2, grpc on the same port 8080}) followed by the entries. Only
     * the first ten entries are named.
     *
     * @param entryName renders entry {@code i} of the list, for example by policy and index
     * @return the message
     */
    public String message(IntFunction<String> entryName) {
      String named =
          join(entries.stream().limit(MAX_NAMED).map(entryName::apply).toList(), entries.size());
      if (ruleId.equals(SAME_PORT_LAYER7)) {
        return "you cannot configure http, http2, grpc on the same port "
            + ports.get(0)
            + ": "
            + named;
      }
      String where =
          ports.size() == 1
              ? "on " + portText(ports.get(0))
              : "on ports "
                  + ports.stream()
                      .limit(MAX_NAMED)
                      .map(Conflict::portText)
                      .collect(Collectors.joining(", "))
                  + (ports.size() > MAX_NAMED
                      ? " and " + (ports.size() - MAX_NAMED) + " more"
                      : "");
      return named
          + " give Envoy two filter chains with the same match "
          + where
          + ", which Envoy rejects: change or remove one of them";
    }

    private static String portText(int port) {
      return port == 0 ? "every port" : "port " + port;
    }

    /** At most ten names, so that a conf of thousands of entries still gives a readable message. */
    private static String join(List<String> first, int total) {
      List<String> names = new ArrayList<>(first);
      if (total > MAX_NAMED) {
        names = new ArrayList<>(first.subList(0, MAX_NAMED - 1));
        names.add((total - MAX_NAMED + 1) + " more");
      }
      if (names.size() <= 2) {
        return String.join(" and ", names);
      }
      return String.join(", ", names.subList(0, names.size() - 1))
          + " and "
          + names.get(names.size() - 1);
    }
  }
}
