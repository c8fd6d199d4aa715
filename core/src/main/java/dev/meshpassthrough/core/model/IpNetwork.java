package dev.meshpassthrough.core.model;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The network an IP or CIDR destination matches, as Envoy compares prefix ranges: an address with
 * its host bits cleared and a prefix length ({@code /32} or {@code /128} for one address).
 *
 * <p>Immutable. Two destinations are the same network exactly when their networks are equal,
 * whatever their spelling ({@code 10.0.0.1/8} and {@code 10.0.0.0/8}; {@code 2001:DB8::1} and
 * {@code 2001:db8:0::1}).
 *
 * @param address the network address, host bits cleared (an IPv4-mapped literal is held as its IPv4
 *     address, as Guava parses it)
 * @param prefixLength the prefix length
 */
public record IpNetwork(InetAddress address, int prefixLength) {

  /**
   * Checks for null and a negative prefix length.
   *
   * @param address the network address, never null; not checked for host bits
   * @param prefixLength the prefix length, 0 to 128; not checked against the address family on
   *     purpose: an IPv4-mapped IPv6 literal ({@code ::ffff:10.0.0.1}) is an {@code Inet4Address}
   *     in Java and a {@code /128} network in Envoy
   * @throws NullPointerException when {@code address} is null
   * @throws IllegalArgumentException when {@code prefixLength} is negative or above 128
   */
  public IpNetwork {
    Objects.requireNonNull(address, "address");
    if (prefixLength < 0 || prefixLength > IpFamily.IPV6.bits()) {
      throw new IllegalArgumentException("prefix length must be within 0-128: " + prefixLength);
    }
  }

  /**
   * The network address as canonical text (RFC 5952 for IPv6), for example {@code 10.0.0.0}.
   *
   * @return the text
   */
  public String addressText() {
    return InetAddresses.toAddrString(address);
  }

  /**
   * Renders {@code address/prefixLength}, for example {@code 10.0.0.0/8}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return addressText() + "/" + prefixLength;
  }
}
