package dev.meshpassthrough.envoy.internal.exact;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Optional;

/**
 * An IP network as Envoy's prefix-range trie sees it: the address with its host bits cleared, and
 * the prefix length. An IP destination is the network of its full length.
 *
 * @param family the address family
 * @param bits the network address as an unsigned number of {@code family.bits()} bits
 * @param prefixLength the prefix length
 */
record Network(IpFamily family, BigInteger bits, int prefixLength) {
  /** Longest prefix first, then by family and address: the order nodes are emitted in. */
  static final Comparator<Network> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt((Network n) -> -n.prefixLength())
          .thenComparing(Network::family)
          .thenComparing(Network::bits);

  /** The network of an IP or CIDR destination; empty for domains. */
  static Optional<Network> of(Destination destination) {
    if (destination instanceof Destination.Ip ip) {
      return Optional.of(
          masked(
              ip.family().orElseThrow(),
              ip.address(),
              ip.literal().ipv4Mapped(),
              ip.family().orElseThrow().bits()));
    }
    if (destination instanceof Destination.Cidr cidr) {
      return Optional.of(
          masked(
              cidr.family().orElseThrow(),
              cidr.address().address(),
              cidr.address().ipv4Mapped(),
              cidr.prefixLength()));
    }
    return Optional.empty();
  }

  private static Network masked(
      IpFamily family, InetAddress address, boolean ipv4Mapped, int prefixLength) {
    BigInteger value = new BigInteger(1, address.getAddress());
    if (ipv4Mapped) {
      value = value.or(BigInteger.valueOf(0xffffL).shiftLeft(32));
    }
    int hostBits = family.bits() - prefixLength;
    return new Network(family, value.shiftRight(hostBits).shiftLeft(hostBits), prefixLength);
  }

  /** Whether every address of {@code other} lies in this network. */
  boolean contains(Network other) {
    if (other.family != family || other.prefixLength < prefixLength) {
      return false;
    }
    int hostBits = family.bits() - prefixLength;
    return other.bits.shiftRight(hostBits).equals(bits.shiftRight(hostBits));
  }

  /** Whether this network holds every address of its family ({@code /0}). */
  boolean isEverything() {
    return prefixLength == 0;
  }

  /** The network address in canonical text, for example {@code 10.0.0.0} or {@code 2001:db8::}. */
  String addressText() {
    byte[] raw = bits.toByteArray();
    byte[] bytes = new byte[family.bits() / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      // From bytes: no name service involved. Inet6Address keeps IPv4-mapped networks in IPv6 form,
      // which is what the IPv6 listener's prefix ranges need.
      InetAddress address =
          family == IpFamily.IPV6
              ? Inet6Address.getByAddress(null, bytes, -1)
              : InetAddress.getByAddress(bytes);
      return InetAddresses.toAddrString(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes.length + " bytes", e);
    }
  }

  /** {@code address/prefix}. */
  @Override
  public String toString() {
    return addressText() + "/" + prefixLength;
  }
}
