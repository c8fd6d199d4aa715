package dev.meshpassthrough.testkit.diff;

import dev.meshpassthrough.core.diff.AddressSet;
import dev.meshpassthrough.core.diff.EgressClass;
import dev.meshpassthrough.core.diff.NameSet;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.testkit.Connection;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a connection is in an {@link EgressClass}, read from the class's fields alone: the
 * reading a user of the diff makes, written independently of how the diff computes classes.
 */
final class ClassMembership {
  private ClassMembership() {}

  static boolean contains(EgressClass egressClass, Connection connection) {
    return trafficMatches(egressClass, connection)
        && portMatches(egressClass, connection)
        && addressMatches(egressClass.address(), connection);
  }

  private static boolean trafficMatches(EgressClass egressClass, Connection connection) {
    Connection.Payload payload = connection.payload();
    return switch (egressClass.traffic()) {
      case ANY -> true;
      case OTHER ->
          payload instanceof Connection.OpaqueBytes || payload instanceof Connection.ServerFirst;
      case TLS ->
          payload instanceof Connection.TlsClientHello hello
              && nameMatches(egressClass.name(), hello.serverName());
      case HTTP ->
          payload instanceof Connection.HttpRequest request
              && nameMatches(egressClass.name(), request.host().map(ClassMembership::withoutPort));
    };
  }

  private static boolean nameMatches(NameSet set, Optional<String> sent) {
    Optional<String> name = sent.map(n -> n.toLowerCase(Locale.ROOT));
    boolean inPattern =
        switch (set.kind()) {
          case ANY -> true;
          case NAMED -> name.isPresent();
          case NONE -> name.isEmpty();
          case EXACT, WILDCARD ->
              name.filter(n -> patternMatches(set.pattern().get(), n)).isPresent();
        };
    return inPattern
        && set.except().stream().noneMatch(e -> name.filter(n -> patternMatches(e, n)).isPresent());
  }

  private static boolean patternMatches(String pattern, String name) {
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return name.length() > suffix.length() && name.endsWith(suffix);
    }
    return name.equals(pattern);
  }

  private static boolean portMatches(EgressClass egressClass, Connection connection) {
    Port port = Port.of(connection.port());
    return egressClass.port().port().map(port::equals).orElse(true)
        && !egressClass.port().except().contains(port);
  }

  private static boolean addressMatches(AddressSet set, Connection connection) {
    if (set.family().isEmpty()) {
      return true;
    }
    return set.family().get() == connection.family()
        && set.network().map(n -> inNetwork(n, connection)).orElse(true)
        && set.except().stream().noneMatch(n -> inNetwork(n, connection));
  }

  private static boolean inNetwork(IpNetwork network, Connection connection) {
    byte[] dialed = connection.destination().getAddress();
    byte[] base = network.address().getAddress();
    if (dialed.length != base.length) {
      return false;
    }
    int shift = dialed.length * 8 - network.prefixLength();
    return new BigInteger(1, dialed)
        .shiftRight(shift)
        .equals(new BigInteger(1, base).shiftRight(shift));
  }

  /** The Host without its port: {@code a.example.com:8080}, {@code [2001:db8::1]:80}. */
  private static String withoutPort(String host) {
    int colon = host.lastIndexOf(':');
    int bracket = host.lastIndexOf(']');
    if (colon < 0 || colon < bracket || (bracket < 0 && host.indexOf(':') != colon)) {
      return host;
    }
    return host.substring(0, colon);
  }
}
