package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import java.util.Optional;

/** Kuma's match types of filter-chain matchers, with their numbers; higher numbers sort first. */
enum ChainMatchType {
  WILDCARD_DOMAIN(1, Optional.empty()),
  DOMAIN(2, Optional.empty()),
  CIDR(3, Optional.of(IpFamily.IPV4)),
  CIDR_V6(4, Optional.of(IpFamily.IPV6)),
  IP(5, Optional.of(IpFamily.IPV4)),
  IP_V6(6, Optional.of(IpFamily.IPV6));

  private final int kumaNumber;
  private final Optional<IpFamily> family;

  ChainMatchType(int kumaNumber, Optional<IpFamily> family) {
    this.kumaNumber = kumaNumber;
    this.family = family;
  }

  /** The type of a destination. */
  static ChainMatchType of(Destination destination) {
    if (destination instanceof Destination.WildcardDomain) {
      return WILDCARD_DOMAIN;
    } else if (destination instanceof Destination.Domain) {
      return DOMAIN;
    } else if (destination instanceof Destination.Ip ip) {
      return ip.family().orElseThrow() == IpFamily.IPV4 ? IP : IP_V6;
    } else {
      return destination.family().orElseThrow() == IpFamily.IPV4 ? CIDR : CIDR_V6;
    }
  }

  /** Kuma's number: 1 wildcard domain, 2 domain, 3 IPv4 CIDR, 4 IPv6 CIDR, 5 IPv4 IP, 6 IPv6 IP. */
  int kumaNumber() {
    return kumaNumber;
  }

  /** Whether the type is a domain, exact or wildcard. */
  boolean isDomain() {
    return family.isEmpty();
  }

  /** Whether chains of this type belong on the passthrough listener of {@code listenerFamily}. */
  boolean belongsTo(IpFamily listenerFamily) {
    return family.map(f -> f == listenerFamily).orElse(true);
  }
}
