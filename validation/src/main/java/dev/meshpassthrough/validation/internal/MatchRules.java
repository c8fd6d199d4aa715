package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.HostnameSyntax;
import dev.meshpassthrough.core.model.IpLiteral;

/**
 * meshpassthrough's own rules for one {@code appendMatch} entry, for values Kuma accepts: domain
 * values that can never match, and warnings about addresses Envoy reads differently than written.
 */
final class MatchRules {
  static final String DOMAIN_SYNTAX = "match.value.domain.syntax";
  static final String IP_MAPPED = "match.value.ip.ipv4-mapped";
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
    if (sink.hasErrorUnder(valuePath)) {
      return; // the value is already rejected; one message is enough
    }
    switch (match.type().get()) {
      case "Domain" -> HostnameSyntax.problemWithWildcard(value).ifPresent(problem ->
          sink.error(valuePath, DOMAIN_SYNTAX, "domain '" + value + "' can never match: " + problem));
      case "IP" -> IpLiteral.parse(value).filter(IpLiteral::ipv4Mapped).ifPresent(ip ->
          sink.warning(valuePath, IP_MAPPED, "'" + value + "' is an IPv4-mapped IPv6 address: Envoy matches it on the "
              + "IPv6 listener only, while IPv4 connections to " + ip.canonical() + " arrive on the IPv4 listener; "
              + "write " + ip.canonical() + " to match those"));
      case "CIDR" -> Destination.Cidr.tryParse(value).ifPresent(cidr -> checkCidr(valuePath, value, cidr));
      default -> { }
    }
  }

  private void checkCidr(FieldPath valuePath, String value, Destination.Cidr cidr) {
    if (cidr.hasHostBits()) {
      sink.warning(valuePath, CIDR_HOST_BITS, "CIDR " + value + " has host bits set: Envoy matches the network "
          + cidr.networkText() + "/" + cidr.prefixLength());
    }
    if (cidr.address().ipv4Mapped()) {
      sink.warning(valuePath, IP_MAPPED, "CIDR " + value + " is written with an IPv4-mapped IPv6 address: Envoy matches "
          + "it on the IPv6 listener only");
    }
  }
}
