package dev.meshpassthrough.testkit.diff;

import dev.meshpassthrough.core.diff.AddressSet;
import dev.meshpassthrough.core.diff.EgressClass;
import dev.meshpassthrough.core.diff.NameSet;
import dev.meshpassthrough.core.diff.Traffic;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.testkit.Connection;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connections built from a class's fields, to check that every connection of a reported class does
 * differ: names, ports and addresses at the edges of the class and its exceptions.
 */
final class Witnesses {
  private static final String FRESH_LABEL = "zq-witness";

  private Witnesses() {}

  /** Connections of the class (checked with {@link ClassMembership}); may be empty. */
  static List<Connection> of(EgressClass egressClass) {
    List<Connection> out = new ArrayList<>();
    for (String address : addresses(egressClass.address())) {
      for (int port : ports(egressClass)) {
        for (Connection connection : payloads(egressClass, address, port)) {
          if (ClassMembership.contains(egressClass, connection)) {
            out.add(connection);
          }
        }
      }
    }
    return out;
  }

  private static List<Connection> payloads(EgressClass egressClass, String address, int port) {
    List<Connection> out = new ArrayList<>();
    Traffic traffic = egressClass.traffic();
    if (traffic == Traffic.ANY || traffic == Traffic.OTHER) {
      out.add(Connection.tcp(address, port));
      out.add(Connection.mysql(address, port));
    }
    for (Optional<String> name : names(egressClass.name())) {
      if (traffic != Traffic.HTTP && traffic != Traffic.OTHER) {
        out.add(
            name.map(n -> Connection.tls(n, port).dialing(address))
                .orElseGet(() -> Connection.tls(address, port)));
      }
      if (traffic != Traffic.TLS && traffic != Traffic.OTHER) {
        out.add(
            name.map(n -> Connection.h2c(n, port).dialing(address))
                .orElseGet(() -> Connection.http(address, port).withoutHost()));
        name.ifPresent(
            n ->
                out.add(
                    Connection.http10(n.toUpperCase(java.util.Locale.ROOT), port)
                        .dialing(address)));
      }
    }
    return out;
  }

  private static List<Optional<String>> names(NameSet set) {
    List<Optional<String>> out = new ArrayList<>();
    switch (set.kind()) {
      case ANY, NONE -> out.add(Optional.empty());
      default -> {}
    }
    set.pattern()
        .ifPresent(
            p -> {
              if (p.startsWith("*.")) {
                out.add(Optional.of(FRESH_LABEL + p.substring(1)));
                out.add(Optional.of("a." + FRESH_LABEL + p.substring(1)));
              } else {
                out.add(Optional.of(p));
              }
            });
    if (set.kind() == NameSet.Kind.ANY || set.kind() == NameSet.Kind.NAMED) {
      out.add(Optional.of(FRESH_LABEL + ".example.net"));
    }
    return out;
  }

  private static List<Integer> ports(EgressClass egressClass) {
    if (egressClass.port().port().isPresent()) {
      return List.of(egressClass.port().port().get().value());
    }
    List<Integer> out = new ArrayList<>();
    for (int candidate : new int[] {1, 8443, 65535}) {
      if (!egressClass.port().except().contains(Port.of(candidate))) {
        out.add(candidate);
      }
    }
    return out;
  }

  private static List<String> addresses(AddressSet set) {
    if (set.family().isEmpty()) {
      return List.of("192.0.2.1", "2001:db8::1");
    }
    Optional<IpNetwork> network = set.network();
    List<String> out = new ArrayList<>();
    if (network.isPresent()) {
      out.addAll(edges(network.get(), 0));
    } else {
      out.addAll(
          set.family().get() == dev.meshpassthrough.core.model.IpFamily.IPV4
              ? List.of("0.0.0.0", "255.255.255.255", "203.0.113.7")
              : List.of("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::1"));
    }
    // Just outside each exception, where the class goes on.
    for (IpNetwork excepted : set.except()) {
      out.addAll(edges(excepted, 1));
    }
    return out;
  }

  /** The first and last address of a network, or with {@code step} 1 the ones just outside. */
  static List<String> edges(IpNetwork network, int step) {
    byte[] bytes = network.address().getAddress();
    int bits = bytes.length * 8;
    if (network.prefixLength() > bits) {
      return List.of(); // an IPv4-mapped IPv6 network: no connection dials one
    }
    BigInteger first = new BigInteger(1, bytes);
    BigInteger last =
        first.add(BigInteger.ONE.shiftLeft(bits - network.prefixLength())).subtract(BigInteger.ONE);
    BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    List<String> out = new ArrayList<>();
    for (BigInteger value :
        List.of(first.subtract(BigInteger.valueOf(step)), last.add(BigInteger.valueOf(step)))) {
      if (value.signum() >= 0 && value.compareTo(max) <= 0) {
        out.add(text(value, bytes.length));
      }
    }
    return out;
  }

  private static String text(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
    try {
      return com.google.common.net.InetAddresses.toAddrString(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
