package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.envoy.PinningProbe;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The loopback world of a pinning probe: the test's DNS responder, which knows only the probe's
 * names and answers loopback addresses only, the sinks on the probe's addresses and ports, and the
 * rewrite that points every resolver of a configuration at the responder. Thread-safe; close it
 * when the Envoy stops.
 */
public final class PinningWorld implements AutoCloseable {
  private final PinningProbe probe;
  private final DnsResponder responder;
  private final PinningRewrite rewrite;
  private final List<Sink> sinks;

  private PinningWorld(
      PinningProbe probe, DnsResponder responder, PinningRewrite rewrite, List<Sink> sinks) {
    this.probe = probe;
    this.responder = responder;
    this.rewrite = rewrite;
    this.sinks = List.copyOf(sinks);
  }

  /**
   * Starts the responder and listens on every sink of {@code probe}; closes what it started when
   * one of them fails.
   *
   * @param probe the names and sinks, not null
   * @return the running world
   * @throws dev.meshpassthrough.testkit.envoy.RealEnvoyException when a sink's address and port are
   *     taken, or the responder cannot bind
   */
  public static PinningWorld start(PinningProbe probe) {
    Objects.requireNonNull(probe, "probe");
    DnsResponder responder = DnsResponder.start(probe.names());
    List<Sink> sinks = new ArrayList<>();
    try {
      for (InetSocketAddress address : probe.sinks()) {
        sinks.add(Sink.start(address));
      }
    } catch (RuntimeException e) {
      sinks.forEach(Sink::close);
      responder.close();
      throw e;
    }
    return new PinningWorld(probe, responder, new PinningRewrite(responder.address()), sinks);
  }

  /** The names and sinks the world was started with. */
  public PinningProbe probe() {
    return probe;
  }

  /** The rewrite that points a configuration's resolvers at the responder. */
  public PinningRewrite rewrite() {
    return rewrite;
  }

  /**
   * Validates {@code listeners} and {@code clusters} with the responder in place, so that not even
   * the validation reads the system's DNS settings for the resources' names.
   */
  public List<String> validate(
      ConfigLoader loader, Collection<Listener> listeners, Collection<Cluster> clusters) {
    return loader.validate(
        listeners.stream().map(rewrite::listener).toList(),
        clusters.stream().map(rewrite::cluster).toList());
  }

  /**
   * Refuses a connection whose dialed address is not loopback: {@code ORIGINAL_DST} clusters stay
   * in this world and connect to it.
   *
   * @throws IllegalArgumentException when the destination is not a loopback address
   */
  public static void requireLoopback(Connection connection) {
    if (!connection.destination().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "the pinning probe dials loopback destinations only (ORIGINAL_DST clusters connect to"
              + " them): "
              + connection.destinationText());
    }
  }

  /** {@code decision} with the upstream its connection reached, as the sinks and logs tell. */
  public Decision attach(
      Decision decision,
      Connection connection,
      List<AccessLogTail.Entry> entries,
      Map<String, String> originalClusterTypes) {
    return PinnedUpstream.attach(decision, connection, entries, sinks, probe, originalClusterTypes);
  }

  /** The questions asked of the responder so far, in arrival order. */
  public List<PinningProbe.DnsQuery> queries() {
    return responder.queries().stream()
        .map(q -> new PinningProbe.DnsQuery(q.name(), q.type()))
        .toList();
  }

  /** Stops the responder and the sinks. */
  @Override
  public void close() {
    responder.close();
    sinks.forEach(Sink::close);
  }
}
