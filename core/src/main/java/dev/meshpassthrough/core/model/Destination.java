package dev.meshpassthrough.core.model;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an {@code appendMatch} entry allows traffic to go: an exact domain, a wildcard domain, an
 * IP address or a CIDR network. Each record enforces its invariants on construction.
 */
public sealed interface Destination
    permits Destination.Domain, Destination.WildcardDomain, Destination.Ip, Destination.Cidr {

  /**
   * The {@code type} written in documents for this destination.
   *
   * @return {@link MatchType#DOMAIN} for exact and wildcard domains, {@link MatchType#IP} or {@link
   *     MatchType#CIDR} otherwise
   */
  MatchType matchType();

  /**
   * The value as the user wrote it; Kuma names chains and clusters after it.
   *
   * @return the written value, unchanged in case and spelling (a wildcard keeps its {@code *.})
   */
  String value();

  /**
   * The address family, or empty for domains, which Envoy sees on both families.
   *
   * @return the family Envoy matches the address in, empty exactly when {@link #isDomain()} is true
   */
  Optional<IpFamily> family();

  /**
   * The network Envoy matches for an IP ({@code /32} or {@code /128}) or a CIDR (host bits
   * cleared); empty for a domain, which is matched by name.
   *
   * @return the network, present exactly when {@link #isDomain()} is false
   */
  Optional<IpNetwork> ipNetwork();

  /**
   * Whether this is a domain, exact or wildcard: matched by name (SNI or HTTP Host) on both
   * passthrough listeners rather than by network.
   *
   * @return {@code matchType() == MatchType.DOMAIN}
   */
  default boolean isDomain() {
    return matchType() == MatchType.DOMAIN;
  }

  /**
   * Builds the destination of a {@code type}/{@code value} pair.
   *
   * @param type the written {@code type}, never null
   * @param value the written {@code value}, never null; for {@link MatchType#DOMAIN} a leading
   *     {@code *.} makes a {@link WildcardDomain}
   * @return a {@link Domain}, {@link WildcardDomain}, {@link Ip} or {@link Cidr} holding {@code
   *     value} as written
   * @throws IllegalArgumentException when the value is not valid for the type
   */
  static Destination of(MatchType type, String value) {
    return switch (type) {
      case DOMAIN ->
          value.startsWith("*.") ? new WildcardDomain(value.substring(2)) : new Domain(value);
      case IP -> Ip.parse(value);
      case CIDR -> Cidr.parse(value);
    };
  }

  /**
   * An exact DNS name, matched against SNI or the HTTP Host.
   *
   * @param name the name as written
   */
  record Domain(String name) implements Destination {
    /**
     * Checks {@link HostnameSyntax#problem(String)}.
     *
     * @param name the name as written, never null
     * @throws IllegalArgumentException when {@code name} is not a valid exact DNS name
     */
    public Domain {
      HostnameSyntax.problem(name)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("invalid domain '" + name + "': " + p);
              });
    }

    @Override
    public MatchType matchType() {
      return MatchType.DOMAIN;
    }

    @Override
    public String value() {
      return name;
    }

    @Override
    public Optional<IpFamily> family() {
      return Optional.empty();
    }

    @Override
    public Optional<IpNetwork> ipNetwork() {
      return Optional.empty();
    }

    /**
     * The name in lower case, as DNS compares it.
     *
     * @return the name lower-cased in {@link Locale#ROOT}; equal for names that differ only in case
     */
    public String canonical() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code *.parent}: every name that ends in {@code .parent}, not {@code parent} itself.
   *
   * @param parent the name after {@code *.}
   */
  record WildcardDomain(String parent) implements Destination {
    /**
     * Checks {@link HostnameSyntax#problem(String)} on the parent.
     *
     * @param parent the name after {@code *.}, never null; must itself be a valid exact DNS name
     * @throws IllegalArgumentException when {@code parent} is not a valid exact DNS name
     */
    public WildcardDomain {
      HostnameSyntax.problem(parent)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException(
                    "invalid wildcard domain '*." + parent + "': " + p);
              });
    }

    @Override
    public MatchType matchType() {
      return MatchType.DOMAIN;
    }

    @Override
    public String value() {
      return "*." + parent;
    }

    @Override
    public Optional<IpFamily> family() {
      return Optional.empty();
    }

    @Override
    public Optional<IpNetwork> ipNetwork() {
      return Optional.empty();
    }

    /**
     * The value in lower case.
     *
     * @return {@code *.parent} lower-cased in {@link Locale#ROOT}
     */
    public String canonical() {
      return value().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One IP address.
   *
   * @param literal the parsed literal, which keeps the text as written
   */
  record Ip(IpLiteral literal) implements Destination {
    /**
     * Rejects zone ids, which Envoy cannot match.
     *
     * @param literal the parsed literal, never null
     * @throws IllegalArgumentException when the literal carries an IPv6 zone id
     */
    public Ip {
      if (literal.zoneId()) {
        throw new IllegalArgumentException("IPv6 zone ids cannot be matched: " + literal.written());
      }
    }

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} when it is not an IP literal.
     *
     * @param text an IPv4 or IPv6 literal as written, never null; see {@link
     *     IpLiteral#parse(String)}
     * @return the destination, keeping {@code text} as its value
     * @throws IllegalArgumentException when {@code text} is not an IP literal or carries a zone id
     */
    public static Ip parse(String text) {
      return new Ip(
          IpLiteral.parse(text)
              .orElseThrow(
                  () -> new IllegalArgumentException("not an IP address: '" + text + "'")));
    }

    @Override
    public MatchType matchType() {
      return MatchType.IP;
    }

    @Override
    public String value() {
      return literal.written();
    }

    @Override
    public Optional<IpFamily> family() {
      return Optional.of(literal.family());
    }

    @Override
    public Optional<IpNetwork> ipNetwork() {
      return Optional.of(new IpNetwork(literal.address(), literal.family().bits()));
    }

    /**
     * The address.
     *
     * @return the parsed address, without a zone; an IPv4-mapped literal gives its IPv4 address
     */
    public InetAddress address() {
      return literal.address();
    }
  }

  /**
   * A network: every address whose first {@code prefixLength} bits equal those of {@code network}.
   *
   * @param written the value as written, which may have host bits set
   * @param address the address part as written
   * @param prefixLength the prefix length, 0 to the family's bit count
   */
  record Cidr(String written, IpLiteral address, int prefixLength) implements Destination {
    /**
     * Checks the prefix length against the family.
     *
     * @param written the value as written, never null; kept for {@link #value()} and messages
     * @param address the address part as written, never null
     * @param prefixLength the prefix length, 0 to 32 for IPv4 and 0 to 128 for IPv6
     * @throws IllegalArgumentException when the address carries a zone id or the prefix length does
     *     not fit its family
     */
    public Cidr {
      if (address.zoneId()) {
        throw new IllegalArgumentException("IPv6 zone ids cannot be matched: " + written);
      }
      int bits = address.family().bits();
      if (prefixLength < 0 || prefixLength > bits) {
        throw new IllegalArgumentException(
            "prefix length must be within 0-" + bits + ": " + written);
      }
    }

    /**
     * Parses {@code address/prefix}; throws {@link IllegalArgumentException} when it is not one.
     *
     * @param text the CIDR as written, never null; see {@link #tryParse(String)} for what is
     *     accepted
     * @return the network, keeping {@code text} as its value
     * @throws IllegalArgumentException when {@code text} is not a CIDR whose prefix fits its family
     */
    public static Cidr parse(String text) {
      return tryParse(text)
          .orElseThrow(() -> new IllegalArgumentException("not a CIDR: '" + text + "'"));
    }

    /**
     * Parses {@code address/prefix}, if it is one whose prefix fits the family.
     *
     * @param text the CIDR as written, never null: an IP literal, {@code /} and a decimal prefix
     *     length of at most three digits without leading zeros
     * @return the network, keeping {@code text} as its value; empty when the text is not such a
     *     CIDR, the address carries a zone id or the prefix is longer than the family's bit count
     */
    public static Optional<Cidr> tryParse(String text) {
      int slash = text.lastIndexOf('/');
      if (slash < 0) {
        return Optional.empty();
      }
      String prefix = text.substring(slash + 1);
      if (prefix.isEmpty()
          || prefix.length() > 3
          || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
          || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
        return Optional.empty();
      }
      Optional<IpLiteral> literal = IpLiteral.parse(text.substring(0, slash));
      int length = Integer.parseInt(prefix);
      if (literal.isEmpty() || literal.get().zoneId() || length > literal.get().family().bits()) {
        return Optional.empty();
      }
      return Optional.of(new Cidr(text, literal.get(), length));
    }

    @Override
    public MatchType matchType() {
      return MatchType.CIDR;
    }

    @Override
    public String value() {
      return written;
    }

    @Override
    public Optional<IpFamily> family() {
      return Optional.of(address.family());
    }

    @Override
    public Optional<IpNetwork> ipNetwork() {
      return Optional.of(new IpNetwork(network(), prefixLength));
    }

    /**
     * The network address: the written address with its host bits cleared.
     *
     * @return the address with every bit after the first {@code prefixLength} bits set to zero
     */
    public InetAddress network() {
      byte[] bytes = familyBytes();
      for (int i = 0; i < bytes.length; i++) {
        int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
        bytes[i] &= (byte) (0xff << (8 - keep));
      }
      try {
        return InetAddress.getByAddress(bytes); // from bytes: no name service involved
      } catch (UnknownHostException e) {
        throw new IllegalStateException("address of " + bytes.length + " bytes", e);
      }
    }

    /**
     * The network address as canonical text, for example {@code 10.0.0.0}.
     *
     * @return the text of {@link #network()}, RFC 5952 for IPv6
     */
    public String networkText() {
      return InetAddresses.toAddrString(network());
    }

    /**
     * Whether the written address has bits set beyond the prefix.
     *
     * @return true when the address differs from {@link #network()}, as in {@code 10.0.0.1/8}
     */
    public boolean hasHostBits() {
      byte[] bytes = familyBytes();
      for (int i = 0; i < bytes.length; i++) {
        int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
        if ((bytes[i] & ~(0xff << (8 - keep)) & 0xff) != 0) {
          return true;
        }
      }
      return false;
    }

    private byte[] familyBytes() {
      byte[] bytes = address.address().getAddress();
      if (address.ipv4Mapped()) {
        // Guava hands back 4 bytes for a 128-bit mapped literal: widen it again.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
      }
      return bytes;
    }
  }
}
