package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * One filter chain to generate, as Kuma's ordering step computes it before writing Envoy config.
 *
 * <p>An HTTP, HTTP/2 or gRPC chain for domains aggregates every domain of its protocol and port: it
 * has no destination, type {@link ChainMatchType#DOMAIN} and one route per domain. Every other
 * chain has exactly one destination and no routes.
 *
 * @param protocol the protocol
 * @param port the port, 0 for every port
 * @param matchType the type, which decides the order
 * @param destination the destination of a non-aggregated chain
 * @param routes the domains of an aggregated chain, in virtual-host order
 * @param firstEntry the first (lowest) index of the {@code appendMatch} entries this chain comes
 *     from, which names the chain in messages
 * @param networkText a CIDR destination's network in canonical text, which its prefix range
 *     carries; empty for every other chain
 * @param value the destination's value as written, or {@code ""} for an aggregated chain (as Kuma
 *     has it)
 */
record FilterChainMatcher(
    Protocol protocol,
    int port,
    ChainMatchType matchType,
    Optional<Destination> destination,
    List<VirtualHostRoute> routes,
    int firstEntry,
    String networkText,
    String value) {

  /** Copies the list. */
  FilterChainMatcher {
    routes = List.copyOf(routes);
  }

  /**
   * A matcher whose value and network text are computed here, once: a wildcard's value is built on
   * every call, and a CIDR's network text printed.
   */
  FilterChainMatcher(
      Protocol protocol,
      int port,
      ChainMatchType matchType,
      Optional<Destination> destination,
      List<VirtualHostRoute> routes,
      int firstEntry) {
    this(
        protocol,
        port,
        matchType,
        destination,
        routes,
        firstEntry,
        destination.isPresent() && destination.get() instanceof Destination.Cidr cidr
            ? cidr.networkText()
            : "",
        destination.isPresent() ? destination.get().value() : "");
  }

  /** Whether this is an HTTP chain that routes several domains by Host. */
  boolean isAggregated() {
    return destination.isEmpty();
  }
}
