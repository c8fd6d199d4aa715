package dev.meshpassthrough.validation.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpLiteral;
import java.net.IDN;
import java.util.Optional;

/**
 * What exactly is wrong with a value Kuma rejects with a terse message, where we can tell: IPv4
 * leading zeros and short forms, IPv6 zone ids, CIDR prefixes out of range, non-ASCII domains.
 */
final class ValueExplanations {
  static final String IP_LEADING_ZERO = "match.value.ip.leading-zero";
  static final String IP_PARTS = "match.value.ip.parts";
  static final String IP_ZONE = "match.value.ip.zone";
  static final String CIDR_PREFIX = "match.value.cidr.prefix";
  static final String DOMAIN_NON_ASCII = "match.value.domain.non-ascii";
  static final String IP_NON_ASCII = "match.value.ip.non-ascii";

  /**
   * An explanation with its own rule id.
   *
   * @param ruleId the rule id
   * @param text the explanation
   */
  record Explanation(String ruleId, String text) {}

  private ValueExplanations() {}

  static Optional<Explanation> ip(String value) {
    Optional<Explanation> nonAscii = nonAscii(value);
    if (nonAscii.isPresent()) {
      return nonAscii;
    }
    Optional<IpLiteral> literal = IpLiteral.parse(value);
    if (literal.isPresent() && literal.get().zoneId()) {
      return Optional.of(
          new Explanation(
              IP_ZONE,
              "the zone id '"
                  + value.substring(value.indexOf('%'))
                  + "' is local to one host and Envoy cannot match it; drop it"));
    }
    if (IpLiteral.hasLeadingZeroPart(value)) {
      return Optional.of(
          new Explanation(
              IP_LEADING_ZERO,
              value
                  + " has a part with a leading zero, which some tools read "
                  + "as octal and others as decimal; write it without leading zeros"));
    }
    String[] parts = value.split("\\.", -1);
    if (!value.isEmpty()
        && parts.length < 4
        && value.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
      return Optional.of(
          new Explanation(IP_PARTS, value + " has fewer than four parts; write all four"));
    }
    return Optional.empty();
  }

  static Optional<Explanation> cidr(String value) {
    Optional<Explanation> nonAscii = nonAscii(value);
    if (nonAscii.isPresent()) {
      return nonAscii;
    }
    int slash = value.lastIndexOf('/');
    if (slash < 0) {
      return Optional.empty(); // Kuma's corpus expects its bare message here
    }
    Optional<IpLiteral> address = IpLiteral.parse(value.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.empty();
    }
    if (address.get().zoneId()) {
      return Optional.of(new Explanation(IP_ZONE, "a zone id cannot be matched by Envoy; drop it"));
    }
    return Optional.of(
        new Explanation(
            CIDR_PREFIX,
            "the prefix length must be a decimal number from 0 to "
                + address.get().family().bits()
                + " without leading zeros"));
  }

  /**
   * An address or network with a non-ASCII character, such as a fullwidth or Arabic-Indic digit:
   * Guava would read it as the ASCII digit, while Kuma (Go's {@code net.ParseIP}) and Envoy reject
   * it.
   */
  private static Optional<Explanation> nonAscii(String value) {
    return IpLiteral.nonAscii(value)
        .map(
            where ->
                new Explanation(
                    IP_NON_ASCII,
                    "'"
                        + value
                        + "' has "
                        + where
                        + ": addresses are ASCII only"
                        + asciiSuggestion(value)));
  }

  /** The ASCII form of an address whose digits are Unicode digits, when Guava can read it so. */
  private static String asciiSuggestion(String value) {
    int slash = value.lastIndexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    String prefix = slash < 0 ? "" : value.substring(slash + 1);
    if (address.indexOf('%') >= 0
        || !InetAddresses.isInetAddress(address)
        || !prefix.codePoints().allMatch(Character::isDigit)) {
      return "";
    }
    String ascii = InetAddresses.toAddrString(InetAddresses.forString(address));
    if (slash >= 0) {
      ascii +=
          "/"
              + (prefix.isEmpty()
                  ? ""
                  : Integer.parseInt(prefix)); // parseInt reads Unicode digits too
    }
    return "; write '" + ascii + "'";
  }

  static Optional<Explanation> domain(String value) {
    if (value.chars().allMatch(c -> c < 0x80)) {
      return Optional.empty();
    }
    String suggestion;
    try {
      suggestion = "; write '" + IDN.toASCII(value, IDN.ALLOW_UNASSIGNED) + "'";
    } catch (IllegalArgumentException e) {
      suggestion = "";
    }
    return Optional.of(
        new Explanation(
            DOMAIN_NON_ASCII,
            "the name is not ASCII, while SNI and Host carry the punycode form (xn--...)"
                + suggestion));
  }
}
