package dev.meshpassthrough.envoy.internal.kuma;

import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.TcpProxyFilter;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the filter chain of one matcher for the passthrough listener of one address family, the
 * way Kuma does.
 *
 * <ul>
 *   <li>{@code tls}: {@code transportProtocol: tls}, {@code serverNames: [value]} for domains, and
 *       a {@code tcp_proxy} to the chain's cluster.
 *   <li>{@code tcp} and {@code mysql}: {@code transportProtocol: raw_buffer} and a {@code
 *       tcp_proxy}; named as {@code tcp}.
 *   <li>{@code http}, {@code http2}, {@code grpc}: {@code applicationProtocols: [http/1.1, h2c]},
 *       {@code raw_buffer} and an HTTP connection manager; see {@link HttpChainFactory}.
 * </ul>
 *
 * <p>IP matches add a {@code /32} or {@code /128} prefix range, CIDRs their network; a port other
 * than "every port" adds {@code destinationPort}. A chain without a prefix range (a domain's) is
 * the same on both listeners: it is built once and the same instance returned for the other family.
 * Not thread-safe: one per translation.
 */
final class FilterChainFactory {
  private final Naming naming;
  private final HttpChainFactory http;
  private final ClusterPinning pinning;
  private final Map<FilterChainMatcher, BuiltChain> familyIndependent = new IdentityHashMap<>();

  /**
   * A factory.
   *
   * @param naming the names to write
   * @param internalAddresses the internal-address CIDRs of HTTP connection managers
   * @param unmatched what answers an HTTP request to a host no rule names
   * @param pinning which destinations get a pinned cluster
   */
  FilterChainFactory(
      Naming naming,
      List<CidrRange> internalAddresses,
      Unmatched unmatched,
      ClusterPinning pinning) {
    this.naming = naming;
    this.pinning = pinning;
    this.http = new HttpChainFactory(naming, internalAddresses, unmatched, pinning);
  }

  /**
   * The chain of {@code matcher} on the listener of {@code family}; empty when it belongs on the
   * other.
   */
  Optional<BuiltChain> build(FilterChainMatcher matcher, IpFamily family) {
    if (!matcher.matchType().belongsTo(family)) {
      return Optional.empty();
    }
    if (matcher.destination().map(FilterChainFactory::hasPrefixRange).orElse(false)) {
      return Optional.of(buildFor(matcher, family));
    }
    // A domain's chain is the same on both listeners: built, packed and named once, shared.
    return Optional.of(familyIndependent.computeIfAbsent(matcher, m -> buildFor(m, family)));
  }

  private static boolean hasPrefixRange(Destination destination) {
    return destination instanceof Destination.Ip || destination instanceof Destination.Cidr;
  }

  private BuiltChain buildFor(FilterChainMatcher matcher, IpFamily family) {
    FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
    if (matcher.protocol().isLayer7()) {
      match
          .addAllApplicationProtocols(EnvoyNames.HTTP_APPLICATION_PROTOCOLS)
          .setTransportProtocol(EnvoyNames.TRANSPORT_RAW_BUFFER);
    } else if (matcher.protocol() == Protocol.TLS) {
      match.setTransportProtocol(EnvoyNames.TRANSPORT_TLS);
      if (matcher.matchType().isDomain()) {
        match.addServerNames(matcher.value());
      }
    } else {
      match.setTransportProtocol(EnvoyNames.TRANSPORT_RAW_BUFFER);
    }
    matcher
        .destination()
        .flatMap(d -> prefixRange(d, matcher.networkText(), family))
        .ifPresent(match::addPrefixRanges);
    if (matcher.port() != 0) {
      match.setDestinationPort(UInt32Value.of(matcher.port()));
    }
    if (matcher.protocol().isLayer7()) {
      return http.build(matcher, match.build());
    }
    String name = naming.chainName(matcher.protocol(), matcher.value(), matcher.port());
    String cluster = name; // Naming.clusterName: the name of the destination's own chain
    FilterChain chain =
        FilterChain.newBuilder()
            .setName(name)
            .setFilterChainMatch(match)
            .addFilters(TcpProxyFilter.of(Naming.statName(cluster), cluster))
            .build();
    return new BuiltChain(
        chain,
        matcher,
        List.of(
            pinning.cluster(
                cluster,
                matcher.protocol(),
                matcher.matchType(),
                matcher.value(),
                matcher.port())));
  }

  /** Kuma writes an IP as written with the listener's full length, and a CIDR as its network. */
  private static Optional<CidrRange> prefixRange(
      Destination destination, String networkText, IpFamily family) {
    if (destination instanceof Destination.Ip ip) {
      return Optional.of(PassthroughListeners.cidrRange(ip.value(), family.bits()));
    }
    if (destination instanceof Destination.Cidr cidr) {
      return Optional.of(PassthroughListeners.cidrRange(networkText, cidr.prefixLength()));
    }
    return Optional.empty();
  }
}
