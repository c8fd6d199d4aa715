package dev.meshpassthrough.cli;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The networks of {@code suggest --cidr-min-prefix P} ({@code --cidr6-min-prefix} for IPv6): the
 * addresses of one port, protocol and family that fall in one {@code /P} block become the smallest
 * CIDR covering them all (never wider than {@code /P}); an address alone in its block stays an IP
 * entry. Addresses are integers through Guava's {@link InetAddresses}; no text is parsed by hand.
 */
final class CidrAggregation {
  private CidrAggregation() {}

  /**
   * What {@code addresses} become.
   *
   * @param destinations the IP and CIDR destinations, by address
   * @param notes one sentence per CIDR, naming how many addresses it replaces
   */
  record Aggregated(List<Destination> destinations, List<String> notes) {}

  /**
   * Aggregates addresses of one family.
   *
   * @param addresses the addresses, all of {@code family}
   * @param family their family
   * @param minPrefix the widest prefix allowed, 0 to the family's bit count
   * @param where the port and protocol, for the notes ({@code 5432/tcp})
   * @return the destinations to write, in address order
   */
  static Aggregated aggregate(
      List<InetAddress> addresses, IpFamily family, int minPrefix, String where) {
    int bits = family.bits();
    Map<BigInteger, SortedSet<BigInteger>> blocks = new TreeMap<>();
    for (InetAddress address : addresses) {
      BigInteger value = InetAddresses.toBigInteger(address);
      blocks.computeIfAbsent(value.shiftRight(bits - minPrefix), b -> new TreeSet<>()).add(value);
    }
    List<Destination> destinations = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (SortedSet<BigInteger> block : blocks.values()) {
      BigInteger first = block.first();
      if (block.size() == 1) {
        destinations.add(Destination.Ip.parse(text(first, family)));
        continue;
      }
      int prefix = bits - first.xor(block.last()).bitLength();
      BigInteger network = first.shiftRight(bits - prefix).shiftLeft(bits - prefix);
      String cidr = text(network, family) + "/" + prefix;
      destinations.add(Destination.Cidr.parse(cidr));
      notes.add(cidr + " (" + where + ") replaces " + block.size() + " addresses");
    }
    return new Aggregated(destinations, notes);
  }

  /** The canonical text of an address of {@code family} given as an integer. */
  static String text(BigInteger value, IpFamily family) {
    InetAddress address =
        family == IpFamily.IPV4
            ? InetAddresses.fromIPv4BigInteger(value)
            : InetAddresses.fromIPv6BigInteger(value);
    return InetAddresses.toAddrString(address);
  }
}
