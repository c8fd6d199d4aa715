package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import java.util.Objects;

/**
 * A dynamic forward proxy cluster (the exact profile's {@code dynamic} domain pinning): it connects
 * to the name the client sent, resolved by Envoy, on the port the client dialed; built by {@link
 * DynamicForwardProxy#cluster}.
 *
 * @param name the cluster's name
 * @param protocol the protocol its traffic speaks: {@code http2} and {@code grpc} speak HTTP/2
 *     upstream
 * @param cache the proxy's DNS cache, which its filters share
 */
public record DynamicForwardProxyCluster(String name, Protocol protocol, DnsCacheConfig cache)
    implements ClusterSpec {

  /** Checks for null. */
  public DynamicForwardProxyCluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cache, "cache");
  }

  @Override
  public Cluster toCluster() {
    return DynamicForwardProxy.cluster(name, protocol, cache);
  }
}
