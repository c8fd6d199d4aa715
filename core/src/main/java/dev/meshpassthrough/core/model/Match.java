package dev.meshpassthrough.core.model;

import java.util.Optional;

/**
 * One validated {@code appendMatch} entry.
 *
 * @param destination where traffic may go
 * @param port the port, or empty for every port
 * @param protocol the protocol; {@link Protocol#TCP} when the document left it out
 */
public record Match(Destination destination, Optional<Port> port, Protocol protocol) {

  /**
   * A match on one port.
   *
   * @param destination where traffic may go, never null
   * @param port the port number, 1-65535
   * @param protocol the protocol, never null
   * @return the match
   * @throws IllegalArgumentException when {@code port} is outside 1-65535
   */
  public static Match of(Destination destination, int port, Protocol protocol) {
    return new Match(destination, Optional.of(Port.of(port)), protocol);
  }

  /**
   * A match on every port.
   *
   * @param destination where traffic may go, never null
   * @param protocol the protocol, never null
   * @return a match with an empty port
   */
  public static Match onEveryPort(Destination destination, Protocol protocol) {
    return new Match(destination, Optional.empty(), protocol);
  }

  /**
   * The match type of the destination.
   *
   * @return {@link MatchType#DOMAIN} for exact and wildcard domains, {@link MatchType#IP} or {@link
   *     MatchType#CIDR} otherwise
   */
  public MatchType type() {
    return destination.matchType();
  }

  /**
   * Renders like the document: {@code Domain example.com:443/tls} or {@code IP 10.0.0.1:*}{@code
   * /tcp}.
   */
  @Override
  public String toString() {
    return destination.matchType().wireName()
        + " "
        + destination.value()
        + ":"
        + port.map(Port::toString).orElse("*")
        + "/"
        + protocol.wireName();
  }
}
