package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.testkit.Connection;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The small, overlapping pools the jqwik arbitraries draw from, and the connections built from
 * them: domains under shared parents, nested CIDRs with addresses inside them, a few common ports.
 */
public final class ConnectionPools {
  /** Exact domains, several under one parent. */
  public static final List<String> DOMAINS =
      List.of(
          "api.example.com",
          "example.com",
          "www.example.com",
          "a.b.example.com",
          "example.org",
          "api.example.org");

  /** Wildcard domains over the same parents. */
  public static final List<String> WILDCARDS =
      List.of("*.example.com", "*.example.org", "*.b.example.com");

  /** Addresses, some inside the CIDRs. */
  public static final List<String> IPS =
      List.of("10.1.2.3", "10.0.0.1", "192.168.1.10", "2001:db8::10", "fd00::1");

  /** Networks, some nested. */
  public static final List<String> CIDRS =
      List.of(
          "10.0.0.0/8",
          "10.1.0.0/16",
          "10.1.2.0/24",
          "192.168.0.0/16",
          "2001:db8::/32",
          "fd00::/8");

  /** Ports entries and connections share. */
  public static final List<Integer> PORTS = List.of(80, 443, 3306, 8080);

  private static final int OTHER_PORT = 8443;
  private static final List<String> STRANGERS = List.of("evil.com", "Api.Example.Com");
  private static final List<String> OTHER_ADDRESSES =
      List.of(Connection.DOCUMENTATION_IPV4, Connection.DOCUMENTATION_IPV6, "203.0.113.7");

  private ConnectionPools() {}

  /** The kinds of connection the arbitraries make. */
  public enum Kind {
    /** TLS with SNI. */
    TLS_SNI,
    /** TLS without SNI. */
    TLS_NO_SNI,
    /** TLS with SNI and ALPN h2, http/1.1. */
    TLS_ALPN,
    /** HTTP/1.1 with a name in Host. */
    HTTP_1_1,
    /** HTTP/1.0 with a name in Host. */
    HTTP_1_0,
    /** h2c with a name in :authority. */
    H2C,
    /** HTTP/1.1 with a name and another port than the dialed one in Host. */
    HTTP_OTHER_HOST_PORT,
    /** HTTP/1.1 with the dialed address in Host. */
    HTTP_BY_ADDRESS,
    /** HTTP/1.1 without Host, to the address. */
    HTTP_NO_HOST,
    /** h2c without :authority, to the address. */
    H2C_NO_AUTHORITY,
    /** Client-first bytes that are neither TLS nor HTTP. */
    OPAQUE,
    /** A server-first protocol. */
    SERVER_FIRST
  }

  /**
   * The pool's names, the names of {@code matches} (a wildcard's subdomain, deeper subdomain and
   * apex) and strangers.
   */
  public static List<String> names(List<Match> matches) {
    Set<String> names = new LinkedHashSet<>(DOMAINS);
    for (Match match : matches) {
      if (match.destination() instanceof Destination.Domain domain) {
        names.add(domain.name());
      } else if (match.destination() instanceof Destination.WildcardDomain wildcard) {
        names.add("sub." + wildcard.parent());
        names.add("deep.sub." + wildcard.parent());
        names.add(wildcard.parent());
      }
    }
    names.addAll(STRANGERS);
    return List.copyOf(names);
  }

  /**
   * The pool's addresses, the addresses of {@code matches} (a CIDR's first host) and unlisted ones.
   */
  public static List<String> addresses(List<Match> matches) {
    Set<String> addresses = new LinkedHashSet<>(IPS);
    for (Match match : matches) {
      if (match.destination() instanceof Destination.Ip ip) {
        addresses.add(InetAddresses.toAddrString(ip.address()));
      } else if (match.destination() instanceof Destination.Cidr cidr) {
        addresses.add(InetAddresses.toAddrString(firstHost(cidr.network())));
      }
    }
    addresses.addAll(OTHER_ADDRESSES);
    return List.copyOf(addresses);
  }

  /** A connection of {@code kind} naming {@code name}, dialing {@code address}, on {@code port}. */
  public static Connection connection(Kind kind, String name, String address, int port) {
    return switch (kind) {
      case TLS_SNI -> Connection.tls(name, port).dialing(address);
      case TLS_NO_SNI -> Connection.tls(address, port);
      case TLS_ALPN -> Connection.tls(name, port).dialing(address).withAlpn("h2", "http/1.1");
      case HTTP_1_1 -> Connection.http(name, port).dialing(address);
      case HTTP_1_0 -> Connection.http10(name, port).dialing(address);
      case H2C -> Connection.h2c(name, port).dialing(address);
      case HTTP_OTHER_HOST_PORT ->
          Connection.http(name, port)
              .dialing(address)
              .withHost(name + ":" + (port == OTHER_PORT ? port + 1 : OTHER_PORT));
      case HTTP_BY_ADDRESS -> Connection.http(address, port);
      case HTTP_NO_HOST -> Connection.http(address, port).withoutHost();
      case H2C_NO_AUTHORITY -> Connection.h2c(address, port).withoutHost();
      case OPAQUE -> Connection.tcp(address, port);
      case SERVER_FIRST -> Connection.mysql(address, port);
    };
  }

  private static InetAddress firstHost(InetAddress network) {
    return InetAddresses.increment(network);
  }
}
