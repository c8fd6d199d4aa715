package dev.meshpassthrough.envoy.internal;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/**
 * A cluster a chain sends traffic to, as the chain factories describe it before it is built.
 * Sealed, so that every kind of upstream a translation can write is listed here: {@link
 * OriginalDstCluster}, and {@link StrictDnsCluster} for the domains Kuma 3.x pins.
 */
public sealed interface ClusterSpec
    permits OriginalDstCluster, StrictDnsCluster, DynamicForwardProxyCluster, AuditCluster {

  /**
   * The cluster's name, unique among the proxy's clusters.
   *
   * @return the name
   */
  String name();

  /**
   * The Envoy cluster.
   *
   * @return the built cluster
   */
  Cluster toCluster();
}
