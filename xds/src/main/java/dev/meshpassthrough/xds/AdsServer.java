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
 * <p>{@link #close()} stops taking streams, ends the open ones and waits for them (at most {@link
 * #GRACE}), then forces the rest.
 */
public final class AdsServer implements AutoCloseable {
  /** How long {@link #close()} waits for streams to end before it forces them. */
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

  /** Stops the server: streams end, with {@link #GRACE} to finish, then are cut. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
