package dev.meshpassthrough.testkit.envoy.internal;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Upstream;
import dev.meshpassthrough.testkit.envoy.PinningProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a connection of the pinning probe really went, as an {@link Upstream}.
 *
 * <p>The address and port come from the sink that accepted Envoy's upstream connection (matched by
 * the upstream connection's local address, {@code %UPSTREAM_LOCAL_ADDRESS%}); when no sink listens
 * there, from the host Envoy dialed ({@code %UPSTREAM_HOST%}). The address is then read back: the
 * address of a name the responder knows is that name ({@link Upstream#dnsName}), the address the
 * client dialed is {@link Upstream#dialed}, any other an {@link Upstream.Kind#ENDPOINT}. When a
 * name resolves to the very address the client dialed, the sink cannot tell the two apart, and the
 * cluster's type decides: {@code ORIGINAL_DST} dialed, any other the name.
 */
public final class PinnedUpstream {
  private static final long SINK_WAIT_NANOS = Duration.ofSeconds(2).toNanos();

  private PinnedUpstream() {}

  /** {@code decision} with the upstream it reached, when it was allowed and reached one. */
  public static Decision attach(
      Decision decision,
      Connection connection,
      List<AccessLogTail.Entry> entries,
      List<Sink> sinks,
      PinningProbe probe,
      Map<String, String> originalClusterTypes) {
    if (!decision.isAllowed()) {
      return decision;
    }
    Optional<AccessLogTail.Entry> entry =
        entries.stream()
            .filter(e -> e.kind().equals("tcp_proxy") || e.kind().equals("http"))
            .filter(e -> e.upstreamHost().isPresent() || e.upstreamLocal().isPresent())
            .findFirst();
    if (entry.isEmpty()) {
      return decision;
    }
    Optional<InetSocketAddress> host = entry.get().upstreamHost().flatMap(PinnedUpstream::socket);
    // Wait for a sink only where one listens: elsewhere the connection was refused.
    List<Sink> candidates =
        host.isEmpty()
            ? sinks
            : sinks.stream().filter(s -> s.address().equals(host.get())).toList();
    Optional<InetSocketAddress> reached =
        candidates.isEmpty()
            ? Optional.empty()
            : entry.get().upstreamLocal().flatMap(l -> sinkOf(l, candidates)).map(Sink::address);
    if (reached.isEmpty()) {
      reached = host;
    }
    if (reached.isEmpty()) {
      return decision;
    }
    InetAddress address = reached.get().getAddress();
    int port = reached.get().getPort();
    boolean dialed = address.equals(connection.destination());
    Optional<String> name = probe.nameOf(address);
    boolean originalDst =
        decision
            .cluster()
            .map(c -> originalClusterTypes.getOrDefault(c, ""))
            .filter(t -> t.equals("ORIGINAL_DST"))
            .isPresent();
    if (name.isPresent() && !(dialed && originalDst)) {
      return decision.withUpstream(Upstream.dnsName(name.get(), port));
    }
    String text = InetAddresses.toAddrString(address);
    return decision.withUpstream(
        dialed ? Upstream.dialed(text, port) : new Upstream(Upstream.Kind.ENDPOINT, text, port));
  }

  private static Optional<Sink> sinkOf(String local, List<Sink> sinks) {
    long deadline = System.nanoTime() + SINK_WAIT_NANOS;
    while (true) {
      for (Sink sink : sinks) {
        if (sink.acceptedFrom(local)) {
          return Optional.of(sink);
        }
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private static Optional<InetSocketAddress> socket(String hostAndPort) {
    try {
      HostAndPort parsed = HostAndPort.fromString(hostAndPort);
      if (!parsed.hasPort() || !InetAddresses.isInetAddress(parsed.getHost())) {
        return Optional.empty();
      }
      return Optional.of(
          new InetSocketAddress(InetAddresses.forString(parsed.getHost()), parsed.getPort()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
