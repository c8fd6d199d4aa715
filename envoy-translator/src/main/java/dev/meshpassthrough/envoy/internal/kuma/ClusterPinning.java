package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.OriginalDstCluster;
import dev.meshpassthrough.envoy.internal.StrictDnsCluster;

/**
 * Which cluster a chain's destination gets. Kuma 2.x sends everything to {@code ORIGINAL_DST}
 * clusters ({@link #NONE}); Kuma 3.x pins every non-wildcard domain with a port to a {@code
 * STRICT_DNS} cluster resolving {@code domain:port}, in the address family of the proxy. Wildcard
 * domains, IPs and CIDRs keep following the original destination.
 *
 * @param pinDomains whether domains with a port are pinned
 * @param v4Only whether pinned domains resolve to IPv4 only: the proxy is not IPv6
 */
record ClusterPinning(boolean pinDomains, boolean v4Only) {
  /** Kuma 2.x: nothing is pinned. */
  static final ClusterPinning NONE = new ClusterPinning(false, true);

  /**
   * The cluster {@code name} of a destination of {@code type} and {@code value} on {@code port}.
   */
  ClusterSpec cluster(String name, Protocol protocol, ChainMatchType type, String value, int port) {
    if (pinDomains && type == ChainMatchType.DOMAIN && port != 0) {
      return new StrictDnsCluster(name, protocol, value, port, v4Only);
    }
    return new OriginalDstCluster(name, protocol);
  }
}
