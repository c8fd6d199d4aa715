package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.UseDownstreamHttpConfig;
import java.util.Objects;

/**
 * A cluster of audit mode: {@code ORIGINAL_DST}, so traffic the policy would deny still reaches the
 * address the client dialed, under a name of its own ({@link Naming#auditClusterName}) so that its
 * statistics count would-be denials per port and address family. The HTTP one speaks upstream what
 * the client spoke downstream (HTTP/1.x or h2c), as a request no rule names may be either.
 *
 * @param name the cluster's name
 * @param http whether it takes requests routed by an HTTP connection manager
 */
public record AuditCluster(String name, boolean http) implements ClusterSpec {

  /** Checks for null. */
  public AuditCluster {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public Cluster toCluster() {
    Cluster.Builder cluster = ClusterFactory.originalDestination(name, Protocol.TCP).toBuilder();
    if (http) {
      ClusterFactory.addHttpOptions(
          cluster,
          HttpProtocolOptions.newBuilder()
              .setUseDownstreamProtocolConfig(
                  UseDownstreamHttpConfig.newBuilder()
                      .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                      .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())));
    }
    return cluster.build();
  }
}
