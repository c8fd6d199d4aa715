package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;

/**
 * Builds Kuma's passthrough clusters: {@code ORIGINAL_DST} with {@code CLUSTER_PROVIDED} load
 * balancing and a 5 s connect timeout, so each connection goes where the application sent it.
 */
public final class ClusterFactory {
  /** Kuma's default connect timeout. */
  public static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  private ClusterFactory() {}

  /**
   * The cluster {@code name} for traffic of {@code protocol}: {@code http2} and {@code grpc}
   * clusters speak HTTP/2 upstream. {@code altStatName} is the sanitised name when sanitising
   * changes it.
   */
  static Cluster originalDestination(String name, Protocol protocol) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setType(Cluster.DiscoveryType.ORIGINAL_DST)
            .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
            .setConnectTimeout(CONNECT_TIMEOUT);
    String statName = Naming.statName(name);
    if (!statName.equals(name)) {
      cluster.setAltStatName(statName);
    }
    if (protocol == Protocol.HTTP2 || protocol == Protocol.GRPC) {
      HttpProtocolOptions options =
          HttpProtocolOptions.newBuilder()
              .setExplicitHttpConfig(
                  ExplicitHttpConfig.newBuilder()
                      .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
              .build();
      cluster.putTypedExtensionProtocolOptions(EnvoyNames.HTTP_PROTOCOL_OPTIONS, Any.pack(options));
    }
    return cluster.build();
  }
}
