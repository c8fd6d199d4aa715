package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One probe connection: connect to a probe listener on loopback, send the PROXY header and the
 * payload, read what comes back until the outcome is clear or a bounded wait ends, close, then
 * collect the access-log entries Envoy wrote for it.
 */
public final class ProbeConversation {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final long ENTRY_WAIT_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long FOLLOW_UP_WAIT_NANOS = Duration.ofMillis(300).toNanos();

  /**
   * What one conversation saw.
   *
   * @param received the bytes that came back
   * @param closedByEnvoy whether Envoy closed the connection first
   * @param elapsed from the first byte sent to the last byte received (or to the end of the wait)
   * @param entries the access-log entries written for the connection
   */
  public record Transcript(
      byte[] received, boolean closedByEnvoy, Duration elapsed, List<AccessLogTail.Entry> entries) {
    /** What came back, as Latin-1 text. */
    public String receivedText() {
      return new String(received, StandardCharsets.ISO_8859_1);
    }
  }

  private ProbeConversation() {}

  /**
   * Runs {@code connection} against the listener bound to {@code 127.0.0.1:port}.
   *
   * @param source the PROXY header's source: the key of the connection's access-log entries
   * @param wait how long to wait for an answer at most
   * @param chainTerminal for the listener's access-log entry, the kind of terminal filter of the
   *     chain it names (or of the listener's only unnamed chain): {@code tcp_proxy}, {@code http}
   *     or {@code other}
   */
  public static Transcript run(
      int port,
      InetSocketAddress source,
      Connection connection,
      Duration wait,
      AccessLogTail log,
      Function<AccessLogTail.Entry, Optional<String>> chainTerminal) {
    String key = remoteKey(source);
    int from = log.count(key);
    byte[] header = ProbeBytes.proxyHeader(source, connection);
    byte[] payload = ProbeBytes.payload(connection.payload());
    boolean h2c =
        connection.payload() instanceof Connection.HttpRequest r
            && r.version() == Connection.HttpVersion.H2C;
    boolean http1 =
        connection.payload() instanceof Connection.HttpRequest r
            && r.version() != Connection.HttpVersion.H2C;
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    boolean closedByEnvoy = false;
    long start;
    long last;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout(20);
      start = System.nanoTime();
      last = start;
      socket.getOutputStream().write(header);
      socket.getOutputStream().write(payload);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16384];
      long deadline = start + wait.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          int n = in.read(buffer);
          if (n < 0) {
            closedByEnvoy = true;
            last = System.nanoTime();
            break;
          }
          received.write(buffer, 0, n);
          last = System.nanoTime();
        } catch (SocketTimeoutException e) {
          // nothing yet
        } catch (IOException e) {
          closedByEnvoy = true; // reset
          last = System.nanoTime();
          break;
        }
        if (answered(received, http1)
            || (h2c && !log.entries(key, from).stream().noneMatch(x -> x.kind().equals("http")))) {
          break;
        }
      }
      if (!closedByEnvoy && received.size() == 0) {
        last = System.nanoTime();
      }
    } catch (IOException e) {
      throw new RealEnvoyException(
          "could not connect to the probe listener on 127.0.0.1:" + port + ": " + e.getMessage(),
          e);
    }
    try {
      long deadline = System.nanoTime() + ENTRY_WAIT_NANOS;
      AccessLogTail.Entry listenerEntry =
          log.await(key, from, "listener", deadline)
              .orElseThrow(
                  () ->
                      new RealEnvoyException(
                          "Envoy wrote no access-log entry for "
                              + connection
                              + " (client "
                              + key
                              + ") within "
                              + Duration.ofNanos(ENTRY_WAIT_NANOS).toSeconds()
                              + " s"));
      Optional<String> terminal =
          listenerEntry.details().contains("filter_chain_not_found")
              ? Optional.empty()
              : chainTerminal.apply(listenerEntry);
      if (terminal.isPresent() && !terminal.get().equals("other")) {
        log.await(key, from, terminal.get(), System.nanoTime() + FOLLOW_UP_WAIT_NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while waiting for Envoy's access log", e);
    }
    return new Transcript(
        received.toByteArray(),
        closedByEnvoy,
        Duration.ofNanos(last - start),
        log.entries(key, from));
  }

  private static boolean answered(ByteArrayOutputStream received, boolean http1) {
    String text = received.toString(StandardCharsets.ISO_8859_1);
    if (text.contains(Sink.GREETING)) {
      return true;
    }
    return http1 && text.startsWith("HTTP/") && text.contains("\r\n\r\n");
  }

  /** How Envoy writes the address in {@code %DOWNSTREAM_REMOTE_ADDRESS%}. */
  public static String remoteKey(InetSocketAddress source) {
    InetAddress address = source.getAddress();
    String text = com.google.common.net.InetAddresses.toAddrString(address);
    return (address instanceof java.net.Inet6Address ? "[" + text + "]" : text)
        + ":"
        + source.getPort();
  }
}
