package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The intent of a conf: which {@code appendMatch} entries cover a connection (see {@link
 * PolicyIntent}).
 */
public final class MatchCoverage implements PolicyIntent {
  private final PassthroughConf conf;

  private MatchCoverage(PassthroughConf conf) {
    this.conf = conf;
  }

  /** See {@link PolicyIntent#of(PassthroughConf)}. */
  public static PolicyIntent intentOf(PassthroughConf conf) {
    return new MatchCoverage(Objects.requireNonNull(conf, "conf"));
  }

  @Override
  public Intent judge(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    switch (conf.effectiveMode()) {
      case ALL -> {
        return new Intent(
            Verdict.ALLOW, List.of(), List.of(), "passthroughMode All allows every destination");
      }
      case NONE -> {
        return new Intent(
            Verdict.DENY, List.of(), List.of(), "passthroughMode None allows no destination");
      }
      default -> {
        List<Match> matches = conf.matches();
        List<Integer> indexes = new ArrayList<>();
        List<Match> covering = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
          if (covers(matches.get(i), connection)) {
            indexes.add(i);
            covering.add(matches.get(i));
          }
        }
        if (covering.isEmpty()) {
          String why =
              matches.isEmpty()
                  ? "passthroughMode Matched without appendMatch allows no destination"
                  : "no appendMatch entry covers it";
          return new Intent(Verdict.DENY, indexes, covering, why);
        }
        String more = covering.size() == 1 ? "" : " (and " + (covering.size() - 1) + " more)";
        return new Intent(
            Verdict.ALLOW,
            indexes,
            covering,
            "appendMatch[" + indexes.get(0) + "] " + covering.get(0) + " covers it" + more);
      }
    }
  }

  /** Whether {@code match} covers {@code connection}: its port, its address and its protocol. */
  public static boolean covers(Match match, Connection connection) {
    if (match.port().map(Port::value).filter(p -> p != connection.port()).isPresent()) {
      return false;
    }
    Connection.Payload payload = connection.payload();
    Destination destination = match.destination();
    boolean byAddress =
        destination instanceof Destination.Ip || destination instanceof Destination.Cidr;
    Protocol protocol = match.protocol();
    if (protocol == Protocol.TCP || protocol == Protocol.MYSQL) {
      return byAddress
          ? addressCovers(destination, connection)
          : nameOf(payload).filter(n -> nameCovers(destination, n)).isPresent();
    }
    if (protocol == Protocol.TLS) {
      if (!(payload instanceof Connection.TlsClientHello hello)) {
        return false;
      }
      return byAddress
          ? addressCovers(destination, connection)
          : hello.serverName().filter(n -> nameCovers(destination, n)).isPresent();
    }
    if (!(payload instanceof Connection.HttpRequest request)) {
      return false;
    }
    return byAddress
        ? addressCovers(destination, connection)
        : request
            .host()
            .map(HttpStage::withoutPort)
            .filter(n -> nameCovers(destination, n))
            .isPresent();
  }

  private static boolean addressCovers(Destination destination, Connection connection) {
    if (destination.family().filter(f -> f == connection.family()).isEmpty()) {
      return false;
    }
    if (destination instanceof Destination.Ip ip) {
      return ip.address().equals(connection.destination());
    }
    Destination.Cidr cidr = (Destination.Cidr) destination;
    return IpPrefix.of(cidr.networkText(), Optional.of(cidr.prefixLength()))
        .map(p -> p.contains(connection.destination()))
        .orElse(false);
  }

  /**
   * Exact: equal ignoring case; {@code *.parent}: ends in {@code .parent}, ignoring case, not the
   * apex.
   */
  private static boolean nameCovers(Destination destination, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (destination instanceof Destination.Domain domain) {
      return lower.equals(domain.canonical());
    }
    if (destination instanceof Destination.WildcardDomain wildcard) {
      String suffix = "." + wildcard.parent().toLowerCase(Locale.ROOT);
      return lower.length() > suffix.length() && lower.endsWith(suffix);
    }
    return false;
  }

  /** The name a connection carries: its SNI, or its Host without the port. */
  private static Optional<String> nameOf(Connection.Payload payload) {
    if (payload instanceof Connection.TlsClientHello hello) {
      return hello.serverName();
    }
    if (payload instanceof Connection.HttpRequest request) {
      return request.host().map(HttpStage::withoutPort);
    }
    return Optional.empty();
  }
}
