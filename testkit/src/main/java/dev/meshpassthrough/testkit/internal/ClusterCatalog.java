package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The clusters by name. An {@code ORIGINAL_DST} cluster connects to the connection's original
 * destination, whatever the Host; any other type to its own endpoints; a missing cluster fails the
 * connection, or the request with 503.
 */
final class ClusterCatalog {
  private static final int SERVICE_UNAVAILABLE = 503;

  private final Map<String, Cluster> byName = new HashMap<>();

  ClusterCatalog(Collection<Cluster> clusters) {
    clusters.forEach(c -> byName.putIfAbsent(c.getName(), c));
  }

  /**
   * Ends the run by sending it to {@code name}; {@code carrier} says whether a connection (closed)
   * or a request (503) fails.
   */
  <T> Optional<T> sendTo(String name, ConnectionFacts facts, SimulationRun run, Carrier carrier) {
    run.cluster = Optional.of(name);
    Cluster cluster = byName.get(name);
    if (cluster == null) {
      run.trace.add(Stage.CLUSTER, "cluster " + name + " does not exist");
      if (carrier == Carrier.HTTP_REQUEST) {
        run.httpStatus = OptionalInt.of(SERVICE_UNAVAILABLE);
        return run.stop(
            Outcome.MISSING_CLUSTER, "503: the route's cluster " + name + " does not exist");
      }
      return run.stop(
          Outcome.MISSING_CLUSTER, "closed: tcp_proxy's cluster " + name + " does not exist");
    }
    String type =
        cluster.hasClusterType() ? cluster.getClusterType().getName() : cluster.getType().name();
    run.clusterType = Optional.of(type);
    if (!cluster.hasClusterType() && cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      run.trace.add(
          Stage.CLUSTER,
          "cluster "
              + name
              + " (ORIGINAL_DST): connects to the original destination "
              + facts.localText());
      return run.stop(
          Outcome.PASSTHROUGH, "passthrough to " + facts.localText() + " through cluster " + name);
    }
    run.trace.add(
        Stage.CLUSTER,
        "cluster "
            + name
            + " ("
            + type
            + "): connects to its own endpoints, not to the original destination");
    return run.stop(Outcome.FORWARDED, "forwarded to cluster " + name + " (" + type + ")");
  }

  boolean exists(String name) {
    return byName.containsKey(name);
  }

  /** What travels to the cluster. */
  enum Carrier {
    /** A TCP connection (tcp_proxy). */
    CONNECTION,
    /** An HTTP request (router). */
    HTTP_REQUEST
  }
}
