package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.EnvoySimulator;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulator over Envoy protos: indexes the listeners and clusters once, then walks each
 * connection through redirect, listener filters, hand-off, chain selection and network filters.
 * Immutable and thread-safe.
 */
public final class ProtoEnvoySimulator implements EnvoySimulator {
  private static final int KUMA_OUTBOUND_PORT = 15001;

  private final List<ListenerModel> listeners;
  private final ClusterCatalog clusters;

  private ProtoEnvoySimulator(List<ListenerModel> listeners, ClusterCatalog clusters) {
    this.listeners = listeners;
    this.clusters = clusters;
  }

  /** See {@link EnvoySimulator#of(Collection, Collection)}. */
  public static EnvoySimulator create(
      Collection<Listener> listeners, Collection<Cluster> clusters) {
    Objects.requireNonNull(listeners, "listeners");
    Objects.requireNonNull(clusters, "clusters");
    return new ProtoEnvoySimulator(
        listeners.stream().map(ListenerModel::new).toList(), new ClusterCatalog(clusters));
  }

  @Override
  public Decision simulate(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    SimulationRun run = new SimulationRun();
    run.trace.add(Stage.CONNECTION, "connection: " + connection);
    Optional<ListenerModel> redirected = redirectListener(connection.family());
    if (redirected.isEmpty()) {
      run.trace.add(
          Stage.LISTENER,
          "no outbound listener with use_original_dst on " + anyAddress(connection.family()));
      run.stop(
          Outcome.NO_LISTENER,
          "refused: no listener takes " + familyName(connection.family()) + " connections");
      return run.decision();
    }
    ListenerModel model = redirected.get();
    run.trace.add(
        Stage.LISTENER, "the transparent proxy redirects it to listener " + model.describe());
    run.trace.enter();
    try {
      accept(model, connection, run);
    } finally {
      run.trace.leave();
    }
    return run.decision();
  }

  private void accept(ListenerModel redirected, Connection connection, SimulationRun run) {
    run.listener = Optional.of(redirected.name());
    if (rejected(redirected, run)) {
      return;
    }
    InetAddress bound = redirected.address().orElse(connection.destination());
    Optional<ConnectionFacts> inspected =
        ListenerFilterStage.run(
            redirected, ConnectionFacts.accepted(connection, bound, redirected.port()), run);
    if (inspected.isEmpty()) {
      return;
    }
    ListenerModel model = redirected;
    ConnectionFacts facts = inspected.get();
    Optional<ListenerModel> target =
        redirected.useOriginalDst() ? handOffTarget(redirected, facts) : Optional.empty();
    if (target.isPresent()) {
      model = target.get();
      run.trace.add(
          Stage.LISTENER,
          "listener "
              + model.describe()
              + " is bound to "
              + facts.localText()
              + ": the connection is handed off to it");
      run.listener = Optional.of(model.name());
      if (rejected(model, run)) {
        return;
      }
      Optional<ConnectionFacts> again = ListenerFilterStage.run(model, facts, run);
      if (again.isEmpty()) {
        return;
      }
      facts = again.get();
    }
    if (facts.transport().isEmpty()) {
      run.trace.add(
          Stage.FILTER_CHAIN, "no listener filter set a transport protocol: Envoy sets raw_buffer");
      facts = facts.withDefaultTransport();
    }
    Optional<FilterChain> chain = ChainSelection.select(model, facts, run);
    if (chain.isEmpty()) {
      return;
    }
    String label = model.label(chain.get());
    run.chain = Optional.of(label);
    new NetworkFilterStage(clusters).run(label, chain.get(), facts, run);
  }

  private static boolean rejected(ListenerModel model, SimulationRun run) {
    Optional<String> rejection = model.rejection();
    rejection.ifPresent(
        r -> {
          run.trace.add(Stage.LISTENER, "Envoy rejects listener " + model.name() + ": " + r);
          run.stop(
              Outcome.LISTENER_REJECTED,
              "listener " + model.name() + " is rejected by Envoy: " + r);
        });
    return rejection.isPresent();
  }

  /**
   * The listener iptables redirects outbound connections of {@code family} to: {@code
   * use_original_dst} on the family's wildcard address and not {@code INBOUND}; {@code OUTBOUND},
   * then port 15001, then the name decide between several.
   */
  private Optional<ListenerModel> redirectListener(IpFamily family) {
    return listeners.stream()
        .filter(ListenerModel::useOriginalDst)
        .filter(l -> l.direction() != TrafficDirection.INBOUND)
        .filter(
            l ->
                l.address()
                    .filter(InetAddress::isAnyLocalAddress)
                    .filter(a -> familyOf(a) == family)
                    .isPresent())
        .min(
            Comparator.comparing((ListenerModel l) -> l.direction() != TrafficDirection.OUTBOUND)
                .thenComparing(l -> l.port() != KUMA_OUTBOUND_PORT)
                .thenComparing(ListenerModel::name));
  }

  /**
   * A listener bound to the restored address exactly, else to the family's wildcard address on its
   * port.
   */
  private Optional<ListenerModel> handOffTarget(ListenerModel current, ConnectionFacts facts) {
    Optional<ListenerModel> exact =
        listeners.stream()
            .filter(
                l ->
                    l != current
                        && l.port() == facts.localPort()
                        && l.address().filter(facts.localAddress()::equals).isPresent())
            .findFirst();
    return exact.or(
        () ->
            listeners.stream()
                .filter(l -> l != current && l.port() == facts.localPort())
                .filter(
                    l ->
                        l.address()
                            .filter(InetAddress::isAnyLocalAddress)
                            .filter(a -> familyOf(a) == familyOf(facts.localAddress()))
                            .isPresent())
                .findFirst());
  }

  private static IpFamily familyOf(InetAddress address) {
    return address instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  private static String anyAddress(IpFamily family) {
    return family == IpFamily.IPV4 ? "0.0.0.0" : "[::]";
  }

  private static String familyName(IpFamily family) {
    return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }
}
