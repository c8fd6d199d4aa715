package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An IP network as Envoy's prefix-range trie sees it: the address with its host bits cleared, and
 * the prefix length. An IP destination is the network of its full length.
 *
 * <p>A value (equal by family, bits and prefix length), immutable and thread-safe. Its address text
 * and hash are computed once, on first use: a network names a chain and its prefix range, and keys
 * the planners' maps, at every leaf of its node.
 */
final class Network {
  /** Longest prefix first, then by family and address: the order nodes are emitted in. */
  static final Comparator<Network> MOST_SPECIFIC_FIRST = Network::compareMostSpecificFirst;

  private static int compareMostSpecificFirst(Network a, Network b) {
    int result = Integer.compare(b.prefixLength, a.prefixLength);
    if (result == 0) {
      result = a.family.compareTo(b.family);
    }
    return result != 0 ? result : a.bits.compareTo(b.bits);
  }

  private final IpFamily family;
  private final BigInteger bits;
  private final int prefixLength;
  private int hash;
  private volatile @Nullable String addressText;
  private volatile @Nullable String text;

  /**
   * The network.
   *
   * @param family the address family
   * @param bits the network address as an unsigned number of {@code family.bits()} bits
   * @param prefixLength the prefix length
   */
  Network(IpFamily family, BigInteger bits, int prefixLength) {
    this.family = family;
    this.bits = bits;
    this.prefixLength = prefixLength;
  }

  /** The address family. */
  IpFamily family() {
    return family;
  }

  /** The network address as an unsigned number of {@code family.bits()} bits. */
  BigInteger bits() {
    return bits;
  }

  /** The prefix length. */
  int prefixLength() {
    return prefixLength;
  }

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

  /**
   * The network of {@code length} bits that contains this one: this network's address with the bits
   * beyond {@code length} cleared; {@code length} is at most this network's prefix length.
   */
  Network truncated(int length) {
    if (length == prefixLength) {
      return this;
    }
    int hostBits = family.bits() - length;
    return new Network(family, bits.shiftRight(hostBits).shiftLeft(hostBits), length);
  }

  /** Whether this network holds every address of its family ({@code /0}). */
  boolean isEverything() {
    return prefixLength == 0;
  }

  /** The network address in canonical text, for example {@code 10.0.0.0} or {@code 2001:db8::}. */
  String addressText() {
    String text = addressText;
    if (text == null) {
      // Written from the bits, as InetAddresses.toAddrString writes the address, without
      // building an InetAddress for it: once per IP node, thousands in a big policy.
      text = family == IpFamily.IPV4 ? dottedQuad(bits.intValue()) : hextets(bits);
      addressText = text;
    }
    return text;
  }

  /** {@code a.b.c.d} of an IPv4 address, most significant byte first. */
  static String dottedQuad(int address) {
    return (address >>> 24)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }

  /**
   * The RFC 5952 text of an IPv6 address: eight hextets in lower-case hex without leading zeros,
   * the longest run of two or more zero hextets (the first of equal runs) written {@code ::}; an
   * IPv4-mapped address in hex too ({@code ::ffff:a00:1}), as Guava writes it.
   */
  static String hextets(BigInteger address) {
    int[] hextets = new int[8];
    for (int i = 0; i < 8; i++) {
      hextets[i] = address.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (hextets[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && hextets[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLength) {
        text.append(':');
      }
      text.append(Integer.toHexString(hextets[i]));
    }
    return text.toString();
  }

  /**
   * The network address as Java compares addresses: an IPv4-mapped IPv6 address is the IPv4
   * address, as {@code InetAddresses.forString} of its text gives it.
   */
  InetAddress inetAddress() {
    byte[] raw = bits.toByteArray();
    byte[] bytes = new byte[family.bits() / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      // From its bytes: no name service involved.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes.length + " bytes", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Network that
        && prefixLength == that.prefixLength
        && family == that.family
        && bits.equals(that.bits);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(family, bits, prefixLength);
      hash = h;
    }
    return h;
  }

  /** {@code address/prefix}. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = addressText() + "/" + prefixLength;
      text = t;
    }
    return t;
  }
}
