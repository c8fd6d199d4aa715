package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Objects;

/**
 * A passthrough cluster: {@code ORIGINAL_DST}, so each connection goes where the application sent
 * it, built by {@link ClusterFactory#originalDestination}.
 *
 * @param name the cluster's name
 * @param protocol the protocol its traffic speaks: {@code http2} and {@code grpc} speak HTTP/2
 *     upstream
 */
public record OriginalDstCluster(String name, Protocol protocol) implements ClusterSpec {

  /** Checks for null. */
  public OriginalDstCluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public Cluster toCluster() {
    return ClusterFactory.originalDestination(name, protocol);
  }
}
