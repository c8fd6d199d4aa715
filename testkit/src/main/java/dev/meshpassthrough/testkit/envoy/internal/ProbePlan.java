package dev.meshpassthrough.testkit.envoy.internal;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration rewritten for probing, and what the harness must remember of the original.
 *
 * @param generation the load this plan belongs to; its access-log entries carry it
 * @param listeners the probe listeners, in the original order
 * @param clusters the probe clusters: one loopback sink cluster per original name
 * @param listenerInfo per probe listener tag ({@code L0}, {@code L1}, ...), what it was
 * @param originalClusterTypes per cluster name, the original discovery type, for example {@code
 *     ORIGINAL_DST}
 */
public record ProbePlan(
    int generation,
    List<Listener> listeners,
    List<Cluster> clusters,
    Map<String, ListenerInfo> listenerInfo,
    Map<String, String> originalClusterTypes) {
  /** Copies. */
  public ProbePlan {
    listeners = List.copyOf(listeners);
    clusters = List.copyOf(clusters);
    listenerInfo = Map.copyOf(listenerInfo);
    originalClusterTypes = Map.copyOf(originalClusterTypes);
  }

  /** The listener a connection of this family reaches first, as the simulator picks it. */
  public Optional<ListenerInfo> passthroughListener(boolean ipv6) {
    return listenerInfo.values().stream()
        .filter(l -> l.bindToPort() && l.useOriginalDst() && l.originalAddress().isPresent())
        .filter(
            l ->
                l.originalAddress().get().isAnyLocalAddress()
                    && (l.originalAddress().get() instanceof java.net.Inet6Address) == ipv6)
        .min(
            java.util.Comparator.comparing((ListenerInfo l) -> l.direction().equals("INBOUND"))
                .thenComparing(
                    l -> !(l.direction().equals("OUTBOUND") || l.originalPort() == 15001))
                .thenComparing(ListenerInfo::name));
  }

  /**
   * What the harness knows of one listener.
   *
   * @param tag the literal the probe's access logs carry for it
   * @param name the listener's name
   * @param originalAddress its socket address as configured, if an IP
   * @param originalPort its port as configured
   * @param direction its traffic direction
   * @param bindToPort whether it binds (false: reached only by a use_original_dst hand-off)
   * @param useOriginalDst whether it hands restored connections off
   * @param inspectors whether listener filters that read the client's first bytes run on it
   * @param listenerFiltersTimeout the timeout as configured (15 s when unset; zero means none)
   * @param continueOnTimeout whether {@code continue_on_listener_filters_timeout} is set
   * @param chainTerminals per chain name, {@code tcp_proxy}, {@code http} or {@code other}
   * @param unnamedChainLabel the simulator's label of the listener's only unnamed chain ({@code
   *     #index} or {@code default_filter_chain}), when it has exactly one: Envoy logs no name for
   *     it
   */
  public record ListenerInfo(
      String tag,
      String name,
      Optional<InetAddress> originalAddress,
      int originalPort,
      String direction,
      boolean bindToPort,
      boolean useOriginalDst,
      boolean inspectors,
      Duration listenerFiltersTimeout,
      boolean continueOnTimeout,
      Map<String, String> chainTerminals,
      Optional<String> unnamedChainLabel) {
    /** Copies. */
    public ListenerInfo {
      chainTerminals = Map.copyOf(chainTerminals);
    }

    /** The timeout the probe listener really runs with. */
    public Duration effectiveTimeout(Duration probeTimeout) {
      return listenerFiltersTimeout.isZero() || listenerFiltersTimeout.compareTo(probeTimeout) <= 0
          ? listenerFiltersTimeout
          : probeTimeout;
    }
  }
}
