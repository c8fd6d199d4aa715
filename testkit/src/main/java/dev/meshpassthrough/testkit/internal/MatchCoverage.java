package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.Upstream;
import dev.meshpassthrough.testkit.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The intent of a conf: which {@code appendMatch} entries cover a connection (see {@link
 * PolicyIntent}).
 */
public final class MatchCoverage implements PolicyIntent {
  private static final Comparator<Upstream> UPSTREAM_ORDER =
      Comparator.comparing(Upstream::kind)
          .thenComparing(Upstream::host)
          .thenComparingInt(Upstream::port);

  private final PassthroughConf conf;
  private final DomainPinning pinning;

  private MatchCoverage(PassthroughConf conf, DomainPinning pinning) {
    this.conf = conf;
    this.pinning = pinning;
  }

  /** See {@link PolicyIntent#of(PassthroughConf)}. */
  public static PolicyIntent intentOf(PassthroughConf conf) {
    return intentOf(conf, DomainPinning.OFF);
  }

  /** See {@link PolicyIntent#of(PassthroughConf, DomainPinning)}. */
  public static PolicyIntent intentOf(PassthroughConf conf, DomainPinning pinning) {
    return new MatchCoverage(
        Objects.requireNonNull(conf, "conf"), Objects.requireNonNull(pinning, "pinning"));
  }

  @Override
  public Intent judge(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    switch (conf.effectiveMode()) {
      case ALL -> {
        return new Intent(
            Verdict.ALLOW,
            List.of(),
            List.of(),
            "passthroughMode All allows every destination",
            List.of(dialed(connection)));
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
            "appendMatch[" + indexes.get(0) + "] " + covering.get(0) + " covers it" + more,
            covering.stream()
                .map(m -> upstreamOf(m, connection))
                .distinct()
                .sorted(UPSTREAM_ORDER)
                .toList());
      }
    }
  }

  /** Where {@code match}, which covers {@code connection}, sends it under the pinning. */
  private Upstream upstreamOf(Match match, Connection connection) {
    Destination destination = match.destination();
    boolean pinned =
        switch (pinning) {
          case OFF -> false;
          case DNS -> destination instanceof Destination.Domain && match.port().isPresent();
          case DYNAMIC ->
              destination instanceof Destination.Domain
                  || (destination instanceof Destination.WildcardDomain wildcard
                      && !numericLastLabel(wildcard.parent()));
        };
    if (!pinned) {
      return dialed(connection);
    }
    if (pinning == DomainPinning.DNS) {
      return Upstream.dnsName(
          ((Destination.Domain) destination).canonical(), match.port().orElseThrow().value());
    }
    String sent =
        nameOf(connection.payload())
            .orElseThrow(
                () -> new IllegalStateException("a Domain entry covers a nameless " + connection));
    return Upstream.dnsName(sent, connection.port());
  }

  /**
   * A wildcard whose last label is all digits: a name it matches can be an IPv4 literal, so no
   * pinning mode resolves it.
   */
  private static boolean numericLastLabel(String parent) {
    String last = parent.substring(parent.lastIndexOf('.') + 1);
    return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static Upstream dialed(Connection connection) {
    return Upstream.dialed(
        com.google.common.net.InetAddresses.toAddrString(connection.destination()),
        connection.port());
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
