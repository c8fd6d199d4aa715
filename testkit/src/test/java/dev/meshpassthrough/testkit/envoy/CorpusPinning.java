package dev.meshpassthrough.testkit.envoy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Upstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The corpus connections, made loopback for the pinning probe, and the world they need: every name
 * any corpus connection sends resolves to its own loopback address; a connection that dialed the
 * documentation address {@value Connection#DOCUMENTATION_IPV4} (the corpus's address for name-based
 * connections) dials a loopback address instead ({@link #dialed}); connections dialing any other
 * address (the corpus's IP and CIDR entries, IPv6) are left out, since an {@code ORIGINAL_DST}
 * cluster would connect there. Sinks listen on that address and on each name's address, on every
 * port of 1024 and above the connections use; below 1024 (where binding may need privileges) the
 * upstream is read from Envoy's {@code %UPSTREAM_HOST%}.
 */
final class CorpusPinning {
  private static final Object LOCK = new Object();
  private static final Map<RealEnvoyConformanceTest.Proxy, RealEnvoy> ENVOYS =
      new java.util.EnumMap<>(RealEnvoyConformanceTest.Proxy.class);

  private CorpusPinning() {}

  /**
   * The address connections to names dial instead of the documentation address: {@code 127.0.6.3}
   * for the corpus's proxies, {@code 127.0.7.3} for the transparent one (each Envoy has its own
   * sinks).
   */
  static String dialed(RealEnvoyConformanceTest.Proxy proxy) {
    return proxy == RealEnvoyConformanceTest.Proxy.CORPUS ? "127.0.6.3" : "127.0.7.3";
  }

  /** The corpus's connections aimed at {@code conf}, as the pinning probe can dial them. */
  static List<Connection> aimedAt(PassthroughConf conf, RealEnvoyConformanceTest.Proxy proxy) {
    List<Connection> connections = new ArrayList<>();
    for (Connection connection : CorpusConnections.aimedAt(conf)) {
      if (connection.destinationText().equals(Connection.DOCUMENTATION_IPV4)) {
        connections.add(connection.dialing(dialed(proxy)));
      } else if (connection.destination().isLoopbackAddress()) {
        connections.add(connection);
      }
    }
    return connections;
  }

  /**
   * The shared pinning Envoy of the corpus run for {@code proxy}'s translations, started on first
   * use, closed when the JVM ends. One per kind of proxy: the dynamic forward proxy's DNS cache has
   * one name and its lookup family follows the proxy's IPv6 support, and a running Envoy refuses a
   * cache whose settings change while the old one is in use (P7 in {@code
   * docs/envoy-behaviour.md}).
   */
  static RealEnvoy envoy(RealEnvoyConformanceTest.Proxy proxy) throws IOException {
    synchronized (LOCK) {
      RealEnvoy envoy = ENVOYS.get(proxy);
      if (envoy == null) {
        envoy = RealEnvoy.startPinning(world(proxy));
        Runtime.getRuntime()
            .addShutdownHook(new Thread(envoy::close, "meshpassthrough-pinning-envoy-close"));
        ENVOYS.put(proxy, envoy);
      }
      return envoy;
    }
  }

  static PinningProbe world(RealEnvoyConformanceTest.Proxy proxy) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    TreeSet<Integer> ports = new TreeSet<>();
    List<Path> dirs;
    try (Stream<Path> list = Files.list(RealEnvoyConformanceTest.CORPUS)) {
      dirs = list.sorted().toList();
    }
    for (Path dir : dirs) {
      PassthroughConf conf = RealEnvoyConformanceTest.conf(dir.getFileName().toString());
      for (Connection connection : aimedAt(conf, proxy)) {
        name(connection).ifPresent(names::add);
        ports.add(connection.port());
      }
      for (var match : conf.matches()) {
        if (match.destination() instanceof dev.meshpassthrough.core.model.Destination.Domain d) {
          names.add(d.name());
        }
      }
    }
    Map<String, InetAddress> addresses = new LinkedHashMap<>();
    List<InetSocketAddress> sinks = new ArrayList<>();
    // Names of the corpus's proxies in 127.0.8.0/22, of the transparent proxy in 127.0.12.0/22.
    int base = proxy == RealEnvoyConformanceTest.Proxy.CORPUS ? 8 : 12;
    int n = 0;
    for (String name : names) {
      n++;
      addresses.put(name, InetAddresses.forString("127.0." + (base + n / 256) + "." + n % 256));
    }
    for (int port : ports.tailSet(1024)) {
      sinks.add(new InetSocketAddress(dialed(proxy), port));
      for (InetAddress address : addresses.values()) {
        sinks.add(new InetSocketAddress(address, port));
      }
    }
    return new PinningProbe(addresses, sinks);
  }

  /** The name a connection sends (SNI, or Host without its port), lower case; empty for none. */
  static Optional<String> name(Connection connection) {
    String name = null;
    if (connection.payload() instanceof Connection.TlsClientHello hello) {
      name = hello.serverName().orElse(null);
    } else if (connection.payload() instanceof Connection.HttpRequest request) {
      name = request.host().map(h -> h.replaceFirst(":\\d+$", "")).orElse(null);
    }
    if (name == null || name.isEmpty() || InetAddresses.isUriInetAddress(name)) {
      return Optional.empty();
    }
    return Optional.of(name.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Where the translation says an allowed connection goes, read from the cluster it took: {@code
   * ORIGINAL_DST} the dialed address; {@code STRICT_DNS} its endpoint's name and port; the dynamic
   * forward proxy the name the client sent, on the dialed port.
   */
  static Optional<Upstream> translated(
      TranslationResult resources, Decision real, Connection connection) {
    Optional<Cluster> cluster =
        real.cluster()
            .flatMap(
                name ->
                    resources.clusters().stream()
                        .filter(c -> c.getName().equals(name))
                        .findFirst());
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    Cluster c = cluster.get();
    if (c.hasClusterType()) {
      return name(connection).map(n -> Upstream.dnsName(n, connection.port()));
    }
    if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      return Optional.of(Upstream.dialed(connection.destinationText(), connection.port()));
    }
    if (c.getType() == Cluster.DiscoveryType.STRICT_DNS) {
      var socket =
          c.getLoadAssignment()
              .getEndpoints(0)
              .getLbEndpoints(0)
              .getEndpoint()
              .getAddress()
              .getSocketAddress();
      return Optional.of(Upstream.dnsName(socket.getAddress(), socket.getPortValue()));
    }
    return Optional.empty();
  }
}
