package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback server every probe cluster leads to. It answers an HTTP/1 request with {@code 200}
 * and a marker header, and anything else (a ClientHello, opaque bytes, h2c, or nothing at all from
 * a server-first client) with a greeting line, so that the client learns it got through.
 */
public final class Sink implements AutoCloseable {
  /** The greeting a non-HTTP connection receives. */
  public static final String GREETING = "MESHPASSTHROUGH-SINK\r\n";

  /** The marker header of the sink's HTTP answer. */
  public static final String MARKER = "x-meshpassthrough-sink";

  private static final byte[] HTTP_ANSWER =
      ("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n" + MARKER + ": 1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final ExecutorService workers;
  private final AtomicLong accepted = new AtomicLong();
  private final java.util.Set<String> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Sink(ServerSocket server) {
    this.server = server;
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "meshpassthrough-sink");
              t.setDaemon(true);
              return t;
            });
    workers.execute(this::acceptLoop);
  }

  /** A sink on {@code 127.0.0.1} with an ephemeral port. */
  public static Sink start() {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /**
   * A sink on {@code address}, which must be a loopback address.
   *
   * @throws IllegalArgumentException when the address is not a loopback one
   */
  public static Sink start(InetSocketAddress address) {
    if (!address.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("a sink listens on loopback only: " + address);
    }
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(address, 256);
      return new Sink(server);
    } catch (IOException e) {
      throw new RealEnvoyException(
          "could not open the loopback sink on " + address + ": " + e.getMessage(), e);
    }
  }

  /** The address and port it listens on. */
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /**
   * Whether it accepted a connection from {@code peer} (as {@link ProbeConversation#remoteKey}
   * writes it: Envoy's {@code %UPSTREAM_LOCAL_ADDRESS%} of the upstream connection).
   */
  public boolean acceptedFrom(String peer) {
    return peers.contains(peer);
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** How many connections it has accepted. */
  public long accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        if (socket.getRemoteSocketAddress() instanceof InetSocketAddress peer) {
          peers.add(ProbeConversation.remoteKey(peer));
        }
        accepted.incrementAndGet();
        workers.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(
          50); // client-first bytes come with the connection; silence means server-first
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[8192];
      StringBuilder seen = new StringBuilder();
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return;
        }
        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      } catch (SocketTimeoutException e) {
        // a server-first client: speak first
      }
      if (isHttp1(seen)) {
        // Envoy keeps upstream HTTP/1.1 connections for further requests: answer each one.
        socket.setSoTimeout(5000);
        while (true) {
          int end;
          while ((end = seen.indexOf("\r\n\r\n")) < 0) {
            int n = in.read(buffer);
            if (n < 0) {
              return;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          }
          seen.delete(0, end + 4);
          out.write(HTTP_ANSWER);
          out.flush();
        }
      }
      out.write(GREETING.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(5000);
      while (in.read(buffer) >= 0) {
        // drain until the peer closes (bounded by the timeout)
      }
    } catch (IOException e) {
      // the peer went away: nothing to answer
    }
  }

  private static boolean isHttp1(CharSequence seen) {
    String head = seen.toString();
    int space = head.indexOf(' ');
    return space > 0 && head.substring(0, space).matches("[A-Z]+") && !head.startsWith("PRI ");
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
