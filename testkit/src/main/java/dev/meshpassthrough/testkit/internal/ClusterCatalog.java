package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.Upstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The clusters by name, and where each sends a connection. An {@code ORIGINAL_DST} cluster connects
 * to the connection's original destination, whatever the Host; a {@code STRICT_DNS} or {@code
 * LOGICAL_DNS} cluster to the name of its (first) endpoint, a {@code STATIC} one to its endpoint; a
 * dynamic forward proxy cluster to the name the filters before it chose ({@link
 * DynamicForwardProxy}); a missing cluster fails the connection, or the request with 503.
 */
final class ClusterCatalog {
  static final int SERVICE_UNAVAILABLE = 503;

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
    if (cluster.hasClusterType()) {
      if (DynamicForwardProxy.CLUSTER_TYPE.equals(type)) {
        return DynamicForwardProxy.send(name, cluster, facts, run, carrier);
      }
      run.trace.add(
          Stage.CLUSTER,
          "cluster "
              + name
              + " ("
              + type
              + "): connects to hosts of its own; which ones is not simulated");
      return run.stop(Outcome.FORWARDED, "forwarded to cluster " + name + " (" + type + ")");
    }
    switch (cluster.getType()) {
      case ORIGINAL_DST -> {
        run.trace.add(
            Stage.CLUSTER,
            "cluster "
                + name
                + " (ORIGINAL_DST): connects to the original destination "
                + facts.localText());
        run.upstream =
            Optional.of(
                Upstream.dialed(
                    InetAddresses.toAddrString(facts.localAddress()), facts.localPort()));
        return run.stop(
            Outcome.PASSTHROUGH,
            "passthrough to " + facts.localText() + " through cluster " + name);
      }
      case STRICT_DNS, LOGICAL_DNS, STATIC -> {
        Optional<SocketAddress> endpoint = firstEndpoint(cluster);
        if (endpoint.isPresent()) {
          SocketAddress address = endpoint.get();
          Upstream upstream =
              cluster.getType() == Cluster.DiscoveryType.STATIC
                  ? new Upstream(
                      Upstream.Kind.ENDPOINT, address.getAddress(), address.getPortValue())
                  : Upstream.dnsName(address.getAddress(), address.getPortValue());
          run.upstream = Optional.of(upstream);
          run.trace.add(
              Stage.CLUSTER,
              "cluster " + name + " (" + type + "): connects to its endpoint, " + upstream);
          return run.stop(
              Outcome.FORWARDED,
              "forwarded to " + upstream + " through cluster " + name + " (" + type + ")");
        }
        run.trace.add(
            Stage.CLUSTER,
            "cluster "
                + name
                + " ("
                + type
                + ") has no endpoint with a socket address and port: where it connects, if"
                + " anywhere, is not simulated");
        return run.stop(Outcome.FORWARDED, "forwarded to cluster " + name + " (" + type + ")");
      }
      default -> {
        run.trace.add(
            Stage.CLUSTER,
            "cluster "
                + name
                + " ("
                + type
                + "): connects to its own endpoints, not to the original destination");
        return run.stop(Outcome.FORWARDED, "forwarded to cluster " + name + " (" + type + ")");
      }
    }
  }

  /** The first endpoint with a socket address and a port value, in the order written. */
  private static Optional<SocketAddress> firstEndpoint(Cluster cluster) {
    for (LocalityLbEndpoints locality : cluster.getLoadAssignment().getEndpointsList()) {
      for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
        SocketAddress address = endpoint.getEndpoint().getAddress().getSocketAddress();
        if (!address.getAddress().isEmpty()
            && address.getPortValue() >= 1
            && address.getPortValue() <= 65_535) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
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
