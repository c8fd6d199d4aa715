package dev.meshpassthrough.validation.internal;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.HostnameSyntax;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.MatchType;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * meshpassthrough's own rules for one {@code appendMatch} entry, for values Kuma accepts: domain
 * values that can never match, and warnings about values Envoy reads differently than written or
 * that open more than they seem to (a wildcard of a public suffix, a port that YAML reads as octal
 * or as no port at all).
 */
final class MatchRules {
  static final String DOMAIN_SYNTAX = "match.value.domain.syntax";
  static final String DOMAIN_PUBLIC_SUFFIX = "match.value.domain.public-suffix";
  static final String IP_MAPPED = "match.value.ip.ipv4-mapped";
  static final String IP_COMPATIBLE = "match.value.ip.ipv4-compatible";
  static final String IP_UNSPECIFIED = "match.value.ip.unspecified";
  static final String CIDR_HOST_BITS = "match.value.cidr.host-bits";
  static final String PORT_OCTAL = "match.port.octal";
  static final String PORT_NULL = "match.port.null";

  /** A YAML 1.1 octal integer: a leading zero and more digits ({@code 0443}, {@code 0_443}). */
  private static final Pattern OCTAL = Pattern.compile("[-+]?0[0-7_]+");

  private final ViolationSink sink;

  MatchRules(ViolationSink sink) {
    this.sink = sink;
  }

  /** Checks the entry at {@code path}, whose value (if any) is {@code parsed}. */
  void check(FieldPath path, WrittenMatch match, ParsedValue parsed) {
    checkPort(path.field("port"), match);
    if (match.type().isEmpty() || match.value().isEmpty()) {
      return;
    }
    String value = match.value().get();
    FieldPath valuePath = path.field("value");
    if (sink.hasErrorUnder(valuePath)) {
      return; // the value is already rejected; one message is enough
    }
    Optional<MatchType> type = MatchType.fromWireName(match.type().get());
    if (type.isEmpty()) {
      return; // Kuma's rule reports the type
    }
    switch (type.get()) {
      case DOMAIN -> checkDomain(valuePath, value);
      case IP -> parsed.ip().ifPresent(ip -> checkIp(valuePath, value, ip));
      case CIDR -> parsed.cidr().ifPresent(cidr -> checkCidr(valuePath, value, cidr));
    }
  }

  /**
   * Kuma reads {@code port} through YAML 1.1 as we do, so these are warnings, not errors: what the
   * port means is not what it looks like.
   */
  private void checkPort(FieldPath portPath, WrittenMatch match) {
    if (match.portText().isEmpty()) {
      return;
    }
    String text = match.portText().get();
    if (match.port().isEmpty()) {
      sink.warning(
          portPath,
          PORT_NULL,
          "port is written as "
              + text
              + ", which reads as no port: the entry applies "
              + "to every port; remove the field to say so, or write the port number");
    } else if (mayBeOctal(text) && OCTAL.matcher(text).matches()) {
      BigInteger decimal = new BigInteger(text.replace("_", ""));
      sink.warning(
          portPath,
          PORT_OCTAL,
          "port "
              + text
              + " is a YAML 1.1 octal number: it means port "
              + match.port().get()
              + ", not "
              + decimal
              + " (Kuma reads it the same way); write "
              + match.port().get()
              + ", or "
              + decimal
              + " if that was meant");
    }
  }

  /**
   * Whether {@link #OCTAL} can match: a zero first or after a sign. Most ports are plain decimal,
   * and this spares them a matcher.
   */
  private static boolean mayBeOctal(String text) {
    int zero = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    return text.length() > zero + 1 && text.charAt(zero) == '0';
  }

  private void checkDomain(FieldPath valuePath, String value) {
    Optional<String> problem = HostnameSyntax.problemWithWildcard(value);
    if (problem.isPresent()) {
      sink.error(
          valuePath, DOMAIN_SYNTAX, "domain '" + value + "' can never match: " + problem.get());
      return;
    }
    if (!value.startsWith("*.")) {
      return;
    }
    String parent = value.substring(2);
    if (!InternetDomainName.isValid(parent)) {
      return; // names with '_' and the like: not a suffix of the list either
    }
    InternetDomainName suffix = InternetDomainName.from(parent);
    if (suffix.isRegistrySuffix()) {
      sink.warning(
          valuePath,
          DOMAIN_PUBLIC_SUFFIX,
          "'"
              + value
              + "' allows every name under "
              + parent
              + ", a public "
              + "suffix where anyone can register a domain: traffic can leave the mesh to any of them; list the domains you need");
    } else if (suffix.isPublicSuffix()) {
      sink.warning(
          valuePath,
          DOMAIN_PUBLIC_SUFFIX,
          "'"
              + value
              + "' allows every name under "
              + parent
              + ", a suffix "
              + "of the Public Suffix List's private section, where anyone can get a name from its owner: traffic can leave "
              + "the mesh to any of them; list the names you need");
    }
  }

  private void checkIp(FieldPath valuePath, String value, IpLiteral ip) {
    InetAddress address = ip.address();
    if (ip.ipv4Mapped()) {
      sink.warning(
          valuePath,
          IP_MAPPED,
          "'"
              + value
              + "' is an IPv4-mapped IPv6 address: Envoy matches it on the "
              + "IPv6 listener only, while IPv4 connections to "
              + ip.canonical()
              + " arrive on the IPv4 listener; "
              + "write "
              + ip.canonical()
              + " to match those");
    } else if (address instanceof Inet6Address v6 && InetAddresses.isCompatIPv4Address(v6)) {
      String v4 = InetAddresses.toAddrString(InetAddresses.getCompatIPv4Address(v6));
      sink.warning(
          valuePath,
          IP_COMPATIBLE,
          "'"
              + value
              + "' is an IPv4-compatible IPv6 address (deprecated by RFC 4291): "
              + "Envoy matches the IPv6 address "
              + ip.canonical()
              + " on the IPv6 listener only, while IPv4 connections to "
              + v4
              + " arrive on the IPv4 listener; write "
              + v4
              + " to match those");
    } else if (address.isAnyLocalAddress()) {
      String network = ip.family().bits() == 32 ? "0.0.0.0/0" : "::/0";
      sink.warning(
          valuePath,
          IP_UNSPECIFIED,
          "'"
              + value
              + "' is the unspecified address, not a destination (a connection "
              + "to it goes to this host itself), so the entry allows nothing; if every "
              + (ip.family().bits() == 32 ? "IPv4" : "IPv6")
              + " destination is meant, that is CIDR "
              + network);
    }
  }

  private void checkCidr(FieldPath valuePath, String value, Destination.Cidr cidr) {
    if (cidr.hasHostBits()) {
      sink.warning(
          valuePath,
          CIDR_HOST_BITS,
          "CIDR "
              + value
              + " has host bits set: Envoy matches the network "
              + cidr.networkText()
              + "/"
              + cidr.prefixLength());
    }
    if (cidr.address().ipv4Mapped()) {
      sink.warning(
          valuePath,
          IP_MAPPED,
          "CIDR "
              + value
              + " is written with an IPv4-mapped IPv6 address: Envoy matches "
              + "it on the IPv6 listener only");
    } else if (cidr.address().address() instanceof Inet6Address v6
        && InetAddresses.isCompatIPv4Address(v6)
        && cidr.prefixLength() >= 96) {
      sink.warning(
          valuePath,
          IP_COMPATIBLE,
          "CIDR "
              + value
              + " is written with an IPv4-compatible IPv6 address (deprecated "
              + "by RFC 4291): Envoy matches it on the IPv6 listener only, never IPv4 connections");
    }
  }
}
