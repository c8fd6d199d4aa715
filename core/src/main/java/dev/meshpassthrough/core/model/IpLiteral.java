package dev.meshpassthrough.core.model;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address literal as written, parsed with Guava's {@link InetAddresses} (never
 * DNS).
 *
 * <p>Only ASCII text is an address literal: Guava reads any Unicode digit as its ASCII value
 * ({@code １0.0.0.1}, {@code ١٠.٠.٠.٢}, {@code 2001:ｄb8::1}), while Go's {@code net.ParseIP}, which
 * Kuma uses, and Envoy's {@code inet_pton} reject them. {@link #nonAscii(String)} names the first
 * such character for error messages.
 *
 * <p>Guava answers for an IPv4-mapped IPv6 literal ({@code ::ffff:1.2.3.4}) with an IPv4 address;
 * {@link #ipv4Mapped()} says when that happened, since Envoy compares such addresses as IPv6.
 *
 * @param written the text as written
 * @param address the parsed address, without a zone
 * @param ipv4Mapped whether the text was an IPv4-mapped IPv6 literal
 * @param zoneId whether the text carried an IPv6 zone id ({@code %eth0}), which Envoy cannot match
 */
public record IpLiteral(String written, InetAddress address, boolean ipv4Mapped, boolean zoneId) {

  /**
   * Parses an address literal; empty when {@code text} is not an IPv4 or IPv6 literal.
   *
   * <p>IPv4 parts with leading zeros ({@code 010.1.1.1}) and fewer than four parts are rejected, as
   * Go's and Guava's parsers do, and so is any non-ASCII character, which Go rejects and Guava
   * would read as an ASCII digit.
   *
   * @param text the literal as written, never null; may carry an IPv6 zone id ({@code %eth0}),
   *     which is recorded but not looked up
   * @return the literal keeping {@code text} as written; empty when {@code text} is not an IPv4 or
   *     IPv6 literal
   */
  public static Optional<IpLiteral> parse(String text) {
    if (text.isEmpty() || nonAscii(text).isPresent() || !InetAddresses.isInetAddress(text)) {
      return Optional.empty();
    }
    int percent = text.indexOf('%');
    boolean zone = percent >= 0;
    // Without the zone: Guava looks a named zone up among this host's network interfaces and
    // throws when there is none, so "fe80::1%eth0" would parse on one machine and crash on another.
    InetAddress address = InetAddresses.forString(zone ? text.substring(0, percent) : text);
    boolean mapped = text.indexOf(':') >= 0 && address instanceof Inet4Address;
    return Optional.of(new IpLiteral(text, address, mapped, zone));
  }

  /**
   * The first non-ASCII character of {@code text}, described for a message, for example {@code
   * U+FF11 FULLWIDTH DIGIT ONE at position 1} (positions count code points from 1); empty when
   * {@code text} is ASCII.
   *
   * @param text the text to scan, never null
   * @return the code point, its Unicode name when it has one, and its position; empty for ASCII
   *     text
   */
  public static Optional<String> nonAscii(String text) {
    int position = 1;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i)), position++) {
      int c = text.codePointAt(i);
      if (c > 0x7f) {
        String name = Character.getName(c);
        return Optional.of(
            String.format(Locale.ROOT, "U+%04X", c)
                + (name == null ? "" : " " + name)
                + " at position "
                + position);
      }
    }
    return Optional.empty();
  }

  /**
   * The family Envoy sees: IPv6 for an IPv4-mapped literal.
   *
   * @return {@link IpFamily#IPV4} for a plain IPv4 literal, {@link IpFamily#IPV6} otherwise
   */
  public IpFamily family() {
    return address instanceof Inet4Address && !ipv4Mapped ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /**
   * Whether {@code text} looks like a dotted IPv4 address with a part that has a leading zero, such
   * as {@code 010.1.1.1}: read as octal by some tools and as decimal by others.
   *
   * @param text the text to check, never null
   * @return true when {@code text} is four dot-separated runs of ASCII digits, at least one of them
   *     longer than one digit and starting with {@code 0}
   */
  public static boolean hasLeadingZeroPart(String text) {
    String[] parts = text.split("\\.", -1);
    boolean leadingZero = false;
    for (String part : parts) {
      if (part.isEmpty() || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      leadingZero |= part.length() > 1 && part.charAt(0) == '0';
    }
    return parts.length == 4 && leadingZero;
  }

  /**
   * The canonical text of the address (RFC 5952 for IPv6).
   *
   * @return the address as Guava renders it, without a zone id; an IPv4-mapped literal renders as
   *     its IPv4 address
   */
  public String canonical() {
    return InetAddresses.toAddrString(address);
  }
}
