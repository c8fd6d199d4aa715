package dev.meshpassthrough.testkit.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.internal.ClusterCatalog.Carrier;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import java.util.Optional;

/**
 * Runs a chain's network filters up to the terminal one: {@code tcp_proxy} sends the connection to
 * its cluster, the HTTP connection manager routes its request ({@link HttpStage}); {@code
 * set_filter_state} ({@link FilterStateFilters}) and {@code sni_dynamic_forward_proxy} ({@link
 * DynamicForwardProxy}) prepare a dynamic forward proxy cluster. Other filters are not simulated
 * and assumed to let the connection through. A chain without filters, or without a terminal filter,
 * closes the connection.
 */
final class NetworkFilterStage {
  private final ClusterCatalog clusters;

  NetworkFilterStage(ClusterCatalog clusters) {
    this.clusters = clusters;
  }

  /** Ends the run. */
  void run(String chainLabel, FilterChain chain, ConnectionFacts facts, SimulationRun run) {
    List<Filter> filters = chain.getFiltersList();
    if (filters.isEmpty()) {
      run.trace.add(Stage.NETWORK_FILTER, "chain " + chainLabel + " has no network filters");
      run.stop(
          Outcome.NO_NETWORK_FILTER, "closed: chain " + chainLabel + " has no network filters");
      return;
    }
    for (Filter filter : filters) {
      String kind =
          EnvoyTypes.kind(
              filter.hasTypedConfig() ? Optional.of(filter.getTypedConfig()) : Optional.empty(),
              filter.getName());
      if (kind.equals(EnvoyTypes.TCP_PROXY_TYPE) || kind.equals(EnvoyTypes.TCP_PROXY)) {
        tcpProxy(unpack(filter, TcpProxy.class), facts, run);
        return;
      }
      if (kind.equals(EnvoyTypes.HTTP_CONNECTION_MANAGER_TYPE)
          || kind.equals(EnvoyTypes.HTTP_CONNECTION_MANAGER)) {
        new HttpStage(clusters).run(unpack(filter, HttpConnectionManager.class), facts, run);
        return;
      }
      if (kind.equals(FilterStateFilters.NETWORK_TYPE)) {
        FilterStateFilters.apply(
            unpack(
                    filter,
                    io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.class)
                .getOnNewConnectionList(),
            FilterStateFilters.Context.CONNECTION,
            facts,
            run);
        continue;
      }
      if (kind.equals(DynamicForwardProxy.SNI_FILTER_TYPE)) {
        DynamicForwardProxy.sniFilter(
            unpack(
                filter,
                io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3
                    .FilterConfig.class),
            run);
        continue;
      }
      run.trace.add(
          Stage.NETWORK_FILTER,
          label(filter) + ": not simulated, assumed to let the connection through");
    }
    run.stop(
        Outcome.NO_NETWORK_FILTER,
        "closed: chain "
            + chainLabel
            + " has no terminal network filter (tcp_proxy or http_connection_manager)");
  }

  private void tcpProxy(TcpProxy proxy, ConnectionFacts facts, SimulationRun run) {
    run.auditLogged = AuditLogModel.connection(proxy.getAccessLogList(), run.trace);
    switch (proxy.getClusterSpecifierCase()) {
      case CLUSTER -> {
        run.trace.add(
            Stage.NETWORK_FILTER, EnvoyTypes.TCP_PROXY + ": to cluster " + proxy.getCluster());
        clusters.sendTo(proxy.getCluster(), facts, run, Carrier.CONNECTION);
      }
      case WEIGHTED_CLUSTERS -> {
        List<TcpProxy.WeightedCluster.ClusterWeight> weighted =
            proxy.getWeightedClusters().getClustersList();
        run.trace.add(
            Stage.NETWORK_FILTER,
            EnvoyTypes.TCP_PROXY
                + ": weighted clusters "
                + String.join(
                    ", ",
                    weighted.stream().map(w -> w.getName() + " (" + w.getWeight() + ")").toList()));
        weightedTarget(
                weighted.stream()
                    .filter(w -> w.getWeight() > 0)
                    .map(TcpProxy.WeightedCluster.ClusterWeight::getName)
                    .toList(),
                run)
            .ifPresent(name -> clusters.sendTo(name, facts, run, Carrier.CONNECTION));
      }
      case CLUSTERSPECIFIER_NOT_SET ->
          run.stop(
              Outcome.LISTENER_REJECTED,
              "Envoy rejects the listener: tcp_proxy has neither cluster nor weighted_clusters");
    }
  }

  /**
   * The cluster a weighted split is simulated with: the first missing one when any is missing (a
   * share of the traffic fails), else the first with a weight.
   */
  Optional<String> weightedTarget(List<String> names, SimulationRun run) {
    if (names.isEmpty()) {
      return run.stop(
          Outcome.LISTENER_REJECTED,
          "Envoy rejects the configuration: weighted clusters without a positive weight");
    }
    Optional<String> missing = names.stream().filter(n -> !clusters.exists(n)).findFirst();
    if (missing.isPresent()) {
      run.trace.enter();
      run.trace.add(
          Stage.CLUSTER, "the share of cluster " + missing.get() + " fails: simulated with it");
      run.trace.leave();
    }
    return Optional.of(missing.orElse(names.get(0)));
  }

  static <T extends Message> T unpack(Filter filter, Class<T> type) {
    return unpack(filter.getTypedConfig(), type, label(filter));
  }

  static <T extends Message> T unpack(Any any, Class<T> type, String what) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static String label(Filter filter) {
    return filter.getName().isEmpty() ? filter.getTypedConfig().getTypeUrl() : filter.getName();
  }
}
