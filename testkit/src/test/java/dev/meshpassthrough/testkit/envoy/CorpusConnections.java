package dev.meshpassthrough.testkit.envoy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.internal.ConnectionPools;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Connections aimed at each entry of a conf, and near misses: every kind of connection to the
 * entry's names, addresses and port, and to a neighbouring name, address and port. Addresses no TCP
 * client can dial (multicast, broadcast) are left out.
 */
final class CorpusConnections {
  private CorpusConnections() {}

  static List<Connection> aimedAt(PassthroughConf conf) {
    Set<Connection> connections = new LinkedHashSet<>();
    for (Match match : conf.matches()) {
      List<String> names = new ArrayList<>();
      List<String> addresses = new ArrayList<>();
      Destination destination = match.destination();
      if (destination instanceof Destination.Domain domain) {
        names.add(domain.name());
        names.add("x" + domain.name());
        addresses.add(Connection.DOCUMENTATION_IPV4);
      } else if (destination instanceof Destination.WildcardDomain wildcard) {
        names.add("sub." + wildcard.parent());
        names.add(wildcard.parent());
        addresses.add(Connection.DOCUMENTATION_IPV4);
      } else if (destination instanceof Destination.Ip ip) {
        names.add("api.example.com");
        addresses.add(InetAddresses.toAddrString(ip.address()));
        addresses.add(InetAddresses.toAddrString(InetAddresses.increment(ip.address())));
      } else if (destination instanceof Destination.Cidr cidr) {
        names.add("api.example.com");
        InetAddress first = InetAddresses.increment(cidr.network());
        addresses.add(InetAddresses.toAddrString(first));
        addresses.add(InetAddresses.toAddrString(outside(cidr)));
      }
      List<Integer> ports = new ArrayList<>();
      ports.add(match.port().map(p -> p.value()).orElse(443));
      ports.add(match.port().map(p -> p.value() == 65535 ? 1 : p.value() + 1).orElse(80));
      for (ConnectionPools.Kind kind : ConnectionPools.Kind.values()) {
        for (String name : names) {
          for (String address : addresses) {
            for (int port : ports) {
              connections.add(ConnectionPools.connection(kind, name, address, port));
            }
          }
        }
      }
    }
    connections.add(Connection.tls("api.example.com", 443));
    connections.add(Connection.tcp("203.0.113.9", 8080));
    connections.add(Connection.tcp("2001:db8::99", 8080));
    return connections.stream().filter(c -> RealEnvoy.dialable(c.destination())).toList();
  }

  private static InetAddress outside(Destination.Cidr cidr) {
    InetAddress network = cidr.network();
    if (cidr.prefixLength() == 0) {
      return InetAddresses.increment(network);
    }
    // The first address past the block, or the last before it when the block ends the space.
    byte[] bytes = network.getAddress();
    int bit = cidr.prefixLength() - 1;
    bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    try {
      return InetAddresses.increment(InetAddress.getByAddress(bytes));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
