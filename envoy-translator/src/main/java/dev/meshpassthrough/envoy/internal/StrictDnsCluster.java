package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Objects;

/**
 * A pinned domain cluster (Kuma 3.x): {@code STRICT_DNS}, so Envoy resolves the domain itself and
 * sends the chain's traffic to {@code domain:port}, whatever address the application connected to;
 * built by {@link ClusterFactory#strictDns}.
 *
 * @param name the cluster's name
 * @param protocol the protocol its traffic speaks: {@code http2} and {@code grpc} speak HTTP/2
 *     upstream
 * @param domain the domain to resolve
 * @param port the port to connect to, 1 to 65535
 * @param v4Only whether the domain resolves to IPv4 addresses only ({@code dnsLookupFamily:
 *     V4_ONLY}): Kuma's choice when the proxy is not IPv6
 */
public record StrictDnsCluster(
    String name, Protocol protocol, String domain, int port, boolean v4Only)
    implements ClusterSpec {

  /** Checks for null and the port's range. */
  public StrictDnsCluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(domain, "domain");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1-65535, got " + port);
    }
  }

  @Override
  public Cluster toCluster() {
    return ClusterFactory.strictDns(name, protocol, domain, port, v4Only);
  }
}
