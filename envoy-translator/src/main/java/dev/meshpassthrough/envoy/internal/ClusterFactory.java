package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;

/**
 * Builds Kuma's passthrough clusters: {@code ORIGINAL_DST} with {@code CLUSTER_PROVIDED} load
 * balancing and a 5 s connect timeout, so each connection goes where the application sent it; and,
 * for the domains Kuma 3.x pins, {@code STRICT_DNS} clusters that resolve the domain themselves.
 */
public final class ClusterFactory {
  /** Kuma's default connect timeout. */
  public static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  /** The options of {@link #addHttp2}, packed once: every HTTP/2 cluster carries the same. */
  private static final Any HTTP2_OPTIONS = EnvoyNames.pack(http2Options().build());

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
    return withNameAndProtocol(cluster, name, protocol);
  }

  /**
   * The cluster {@code name} that resolves {@code domain} itself ({@code STRICT_DNS}, default
   * round-robin load balancing, a 5 s connect timeout) and sends traffic of {@code protocol} to
   * {@code domain:port}: Kuma 3.x's pinned domain destination. {@code dnsLookupFamily: V4_ONLY}
   * when {@code v4Only}, else the default ({@code AUTO}); {@code http2} and {@code grpc} speak
   * HTTP/2 upstream, and {@code altStatName} is as for {@link #originalDestination}.
   */
  static Cluster strictDns(
      String name, Protocol protocol, String domain, int port, boolean v4Only) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setType(Cluster.DiscoveryType.STRICT_DNS)
            .setConnectTimeout(CONNECT_TIMEOUT)
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        Endpoint.newBuilder()
                                            .setAddress(
                                                Address.newBuilder()
                                                    .setSocketAddress(
                                                        SocketAddress.newBuilder()
                                                            .setAddress(domain)
                                                            .setPortValue(port)))))));
    if (v4Only) {
      cluster.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY);
    }
    return withNameAndProtocol(cluster, name, protocol);
  }

  private static Cluster withNameAndProtocol(
      Cluster.Builder cluster, String name, Protocol protocol) {
    ByteString statName = Naming.alteredStatName(name);
    if (statName != null) {
      cluster.setAltStatNameBytes(statName);
    }
    if (protocol == Protocol.HTTP2 || protocol == Protocol.GRPC) {
      addHttp2(cluster);
    }
    return cluster.build();
  }

  /** Makes {@code cluster} speak HTTP/2 upstream. */
  static void addHttp2(Cluster.Builder cluster) {
    cluster.putTypedExtensionProtocolOptions(EnvoyNames.HTTP_PROTOCOL_OPTIONS, HTTP2_OPTIONS);
  }

  /** Upstream HTTP protocol options that speak HTTP/2, to add to. */
  static HttpProtocolOptions.Builder http2Options() {
    return HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(
            ExplicitHttpConfig.newBuilder()
                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()));
  }

  /** Sets {@code options} as {@code cluster}'s upstream HTTP protocol options. */
  static void addHttpOptions(Cluster.Builder cluster, HttpProtocolOptions.Builder options) {
    cluster.putTypedExtensionProtocolOptions(
        EnvoyNames.HTTP_PROTOCOL_OPTIONS, EnvoyNames.pack(options.build()));
  }
}
