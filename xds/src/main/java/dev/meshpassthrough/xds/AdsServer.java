package dev.meshpassthrough.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server (Netty, plaintext) that serves a {@link PassthroughControlPlane} over ADS, state of
 * the world and incremental, and over the single-type listener and cluster services.
 *
 * <pre>{@code
 * try (AdsServer server = AdsServer.start(plane, new InetSocketAddress("127.0.0.1", 18000))) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops taking streams, lets responses in flight go out, then ends the open
 * streams.
 */
public final class AdsServer implements AutoCloseable {
  /** How long {@link #close()} lets responses in flight go out before it ends the streams. */
  public static final Duration FLUSH = Duration.ofMillis(200);

  /** How long {@link #close()} waits for the ended streams to be gone. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  private final Server server;
  private final InetSocketAddress address;

  private AdsServer(Server server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /**
   * Binds and starts the server.
   *
   * @param plane the control plane to serve
   * @param address where to listen; port 0 picks a free port
   * @return the running server
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static AdsServer start(PassthroughControlPlane plane, InetSocketAddress address)
      throws IOException {
    V3DiscoveryServer discovery = plane.discoveryServer();
    Server server =
        NettyServerBuilder.forAddress(address)
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .addService(discovery.getListenerDiscoveryServiceImpl())
            .addService(discovery.getClusterDiscoveryServiceImpl())
            .build();
    server.start();
    return new AdsServer(server, new InetSocketAddress(address.getAddress(), server.getPort()));
  }

  /**
   * Where the server listens, with the port it got.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * The port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return server.getPort();
  }

  /**
   * Waits until the server has stopped.
   *
   * @throws InterruptedException when interrupted
   */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops the server: no new stream is taken, responses in flight get {@link #FLUSH} to go out,
   * then the open streams are ended (an xDS stream never ends by itself; its Envoy reconnects, to
   * this server when it comes back) and the server waits at most {@link #GRACE} for them.
   */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
