package dev.meshpassthrough.validation.guardrails;

import com.google.common.collect.Range;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.IpNetwork;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An aligned block of addresses as an integer range of its family, for overlap and width checks. An
 * IPv4-mapped IPv6 address or network ({@code ::ffff:169.254.169.254}) is its IPv4 block: it
 * reaches the same hosts.
 */
record Block(IpFamily family, BigInteger start, int prefix) implements Comparable<Block> {

  /** The block of an IP or CIDR destination; empty for a domain. */
  static Optional<Block> of(Destination destination) {
    return destination.ipNetwork().map(Block::of);
  }

  static Block of(IpNetwork network) {
    InetAddress address = network.address();
    if (address instanceof Inet4Address) {
      // Java holds an IPv4-mapped address as IPv4; its prefix still counts 128 bits.
      int prefix =
          network.prefixLength() > 32 ? network.prefixLength() - 96 : network.prefixLength();
      return new Block(IpFamily.IPV4, new BigInteger(1, address.getAddress()), prefix);
    }
    return new Block(
        IpFamily.IPV6, new BigInteger(1, address.getAddress()), network.prefixLength());
  }

  /** An address or a CIDR as a guardrails file writes it; empty when it is neither. */
  static Optional<Block> parse(String text) {
    Optional<Destination.Cidr> cidr = Destination.Cidr.tryParse(text);
    if (cidr.isPresent()) {
      return Optional.of(of(cidr.get().ipNetwork().orElseThrow()));
    }
    return IpLiteral.parse(text)
        .filter(literal -> !literal.zoneId())
        .map(literal -> of(new IpNetwork(literal.address(), literal.family().bits())));
  }

  BigInteger size() {
    return BigInteger.ONE.shiftLeft(family.bits() - prefix);
  }

  /** The addresses, as {@code [start, start + size)}. */
  Range<BigInteger> range() {
    return Range.closedOpen(start, start.add(size()));
  }

  boolean overlaps(Block other) {
    return family == other.family
        && start.compareTo(other.start.add(other.size())) < 0
        && other.start.compareTo(start.add(size())) < 0;
  }

  boolean encloses(Block other) {
    return family == other.family && range().encloses(other.range());
  }

  boolean isEverything() {
    return prefix == 0;
  }

  @Override
  public int compareTo(Block other) {
    int byFamily = family.compareTo(other.family);
    if (byFamily != 0) {
      return byFamily;
    }
    int byStart = start.compareTo(other.start);
    return byStart != 0 ? byStart : Integer.compare(prefix, other.prefix);
  }

  /** Canonical text, for example {@code 10.0.0.0/8} or {@code fd00::/8}. */
  @Override
  public String toString() {
    int bytes = family.bits() / 8;
    byte[] raw = start.toByteArray();
    byte[] address = new byte[bytes];
    int copy = Math.min(raw.length, bytes);
    System.arraycopy(raw, raw.length - copy, address, bytes - copy, copy);
    try {
      return InetAddresses.toAddrString(InetAddress.getByAddress(address)) + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes + " bytes", e);
    }
  }
}
