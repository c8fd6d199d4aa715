package dev.meshpassthrough.envoy.internal;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Objects;

/**
 * A dynamic forward proxy cluster (the exact profile's {@code dynamic} domain pinning): it connects
 * to the name the client sent, resolved by Envoy, on the port the client dialed; built by {@link
 * DynamicForwardProxy#cluster}.
 *
 * @param name the cluster's name
 * @param http2 whether its traffic speaks HTTP/2 upstream ({@code http2} and {@code grpc})
 * @param v4Only whether names resolve to IPv4 addresses only: the proxy is not IPv6
 */
public record DynamicForwardProxyCluster(String name, boolean http2, boolean v4Only)
    implements ClusterSpec {

  /** Checks for null. */
  public DynamicForwardProxyCluster {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public Cluster toCluster() {
    return DynamicForwardProxy.cluster(name, http2, v4Only);
  }
}
