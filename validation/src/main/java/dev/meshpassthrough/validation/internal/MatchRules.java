package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.HostnameSyntax;
import dev.meshpassthrough.core.model.IpLiteral;
import java.net.IDN;
import java.util.Optional;

/**
 * meshpassthrough's own rules for one {@code appendMatch} entry, run after Kuma's: they explain
 * what Kuma rejects tersely, and reject domain values Kuma lets through that can never match.
 */
final class MatchRules {
  static final String DOMAIN_SYNTAX = "match.value.domain.syntax";
  static final String DOMAIN_NON_ASCII = "match.value.domain.non-ascii";
  static final String IP_LEADING_ZERO = "match.value.ip.leading-zero";
  static final String IP_PARTS = "match.value.ip.parts";
  static final String IP_ZONE = "match.value.ip.zone";
  static final String IP_MAPPED = "match.value.ip.ipv4-mapped";
  static final String CIDR_PREFIX = "match.value.cidr.prefix";
  static final String CIDR_HOST_BITS = "match.value.cidr.host-bits";

  private final ViolationSink sink;

  MatchRules(ViolationSink sink) {
    this.sink = sink;
  }

  void check(FieldPath path, WrittenMatch match) {
    if (match.type().isEmpty() || match.value().isEmpty()) {
      return;
    }
    String value = match.value().get();
    FieldPath valuePath = path.field("value");
    switch (match.type().get()) {
      case "Domain" -> checkDomain(valuePath, value);
      case "IP" -> checkIp(valuePath, value);
      case "CIDR" -> checkCidr(valuePath, value);
      default -> { }
    }
  }

  private void checkDomain(FieldPath valuePath, String value) {
    if (!value.chars().allMatch(c -> c < 0x80)) {
      sink.error(valuePath, DOMAIN_NON_ASCII, "domain '" + value + "' is not ASCII: Envoy compares SNI and Host as sent, "
          + "which is the punycode form" + punycode(value).map(p -> ": write '" + p + "'").orElse(""));
      return;
    }
    if (sink.hasErrorUnder(valuePath)) {
      return; // Kuma already rejected the value; one message is enough.
    }
    HostnameSyntax.problemWithWildcard(value).ifPresent(problem ->
        sink.error(valuePath, DOMAIN_SYNTAX, "domain '" + value + "' can never match: " + problem));
  }

  private void checkIp(FieldPath valuePath, String value) {
    Optional<IpLiteral> literal = IpLiteral.parse(value);
    if (literal.isPresent() && literal.get().zoneId()) {
      sink.error(valuePath, IP_ZONE, "IPv6 zone ids such as '" + value.substring(value.indexOf('%'))
          + "' are local to one host and Envoy cannot match them: drop the zone id");
    } else if (literal.isEmpty() && IpLiteral.hasLeadingZeroPart(value)) {
      sink.error(valuePath, IP_LEADING_ZERO, "IPv4 address '" + value + "' has a part with a leading zero, which some "
          + "tools read as octal and others as decimal: write it without leading zeros");
    } else if (literal.isEmpty() && isShortIpv4(value)) {
      sink.error(valuePath, IP_PARTS, "IPv4 address '" + value + "' has fewer than four parts: write all four");
    } else if (literal.isPresent() && literal.get().ipv4Mapped()) {
      sink.warning(valuePath, IP_MAPPED, "'" + value + "' is an IPv4-mapped IPv6 address: Envoy matches it on the IPv6 "
          + "listener only, while IPv4 connections to " + literal.get().canonical() + " arrive on the IPv4 listener; "
          + "write type IP with value " + literal.get().canonical() + " to match them");
    }
  }

  private void checkCidr(FieldPath valuePath, String value) {
    Optional<Destination.Cidr> cidr = Destination.Cidr.tryParse(value);
    if (cidr.isPresent()) {
      if (cidr.get().hasHostBits()) {
        sink.warning(valuePath, CIDR_HOST_BITS, "CIDR " + value + " has host bits set: Envoy matches the network "
            + cidr.get().networkText() + "/" + cidr.get().prefixLength());
      }
      if (cidr.get().address().ipv4Mapped()) {
        sink.warning(valuePath, IP_MAPPED, "CIDR " + value + " is written with an IPv4-mapped IPv6 address: Envoy matches it "
            + "on the IPv6 listener only");
      }
      return;
    }
    int slash = value.lastIndexOf('/');
    if (slash < 0) {
      sink.error(valuePath, CIDR_PREFIX, "CIDR '" + value + "' has no prefix length: write address/length, "
          + "for example " + value + (value.contains(":") ? "/128" : "/32"));
      return;
    }
    Optional<IpLiteral> address = IpLiteral.parse(value.substring(0, slash));
    if (address.isPresent() && !address.get().zoneId()) {
      sink.error(valuePath, CIDR_PREFIX, "CIDR '" + value + "' needs a prefix length from 0 to "
          + address.get().family().bits() + ", written in decimal without leading zeros");
    } else if (address.isPresent()) {
      sink.error(valuePath, IP_ZONE, "CIDR '" + value + "' has an IPv6 zone id, which Envoy cannot match: drop it");
    }
  }

  private static boolean isShortIpv4(String value) {
    String[] parts = value.split("\\.", -1);
    return parts.length < 4 && value.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
  }

  private static Optional<String> punycode(String value) {
    try {
      return Optional.of(IDN.toASCII(value, IDN.ALLOW_UNASSIGNED));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
