package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IP network as Envoy keeps it: host bits cleared, an IPv4 prefix length above 32 clamped to 32,
 * an unset length read as 0.
 *
 * @param network the network address
 * @param length the prefix length
 */
record IpPrefix(InetAddress network, int length) {

  /**
   * The prefix of an Envoy {@code CidrRange}: {@code address_prefix} must be a bare IP literal.
   *
   * @param address the written address
   * @param length the written length, empty when unset (which Envoy reads as 0)
   * @return empty when the address is not an IP literal or the length is above 128
   */
  static Optional<IpPrefix> of(String address, Optional<Integer> length) {
    if (address.indexOf('%') >= 0 || !IpLiteral.parse(address).isPresent()) {
      return Optional.empty();
    }
    int written = length.orElse(0);
    if (written < 0 || written > 128) {
      return Optional.empty();
    }
    InetAddress parsed = InetAddresses.forString(address);
    int bits = bits(parsed);
    return Optional.of(
        new IpPrefix(clear(parsed, Math.min(written, bits)), Math.min(written, bits)));
  }

  /** The prefix that holds exactly {@code address}. */
  static IpPrefix host(InetAddress address) {
    return new IpPrefix(address, bits(address));
  }

  /** Whether {@code address} is in this network (never across families). */
  boolean contains(InetAddress address) {
    if (address.getAddress().length != network.getAddress().length) {
      return false;
    }
    return clear(address, length).equals(network);
  }

  /** For example {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    return InetAddresses.toAddrString(network) + "/" + length;
  }

  private static int bits(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  private static InetAddress clear(InetAddress address, int length) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, length - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes); // from bytes: no name service involved
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes.length + " bytes", e);
    }
  }
}
