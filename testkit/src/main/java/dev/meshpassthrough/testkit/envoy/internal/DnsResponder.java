package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A DNS server on {@code 127.0.0.1} (UDP, ephemeral port) that knows only the names it is given,
 * each with one loopback address, so that an Envoy pointed at it can resolve nothing else and reach
 * nothing beyond loopback.
 *
 * <p>It answers a query for a known name with that name's address when the type fits ({@code A} for
 * an IPv4 address, {@code AAAA} for an IPv6 one) and with an empty answer ({@code NOERROR}, no
 * record) for the other type; any other name is {@code NXDOMAIN}. Packets that are not a single
 * standard query are dropped unanswered. Every query answered is recorded, in arrival order.
 *
 * <p>One daemon thread serves it; {@link #close()} stops it within a bounded wait.
 */
public final class DnsResponder implements AutoCloseable {
  private static final int TYPE_A = 1;
  private static final int TYPE_AAAA = 28;
  private static final int CLASS_IN = 1;
  private static final int TTL_SECONDS = 30;
  private static final int RCODE_NXDOMAIN = 3;

  /**
   * One question the responder was asked.
   *
   * @param name the name, lower case, without a trailing dot
   * @param type {@code A}, {@code AAAA}, or the numeric type of another
   */
  public record Query(String name, String type) {}

  private final DatagramSocket socket;
  private final Map<String, InetAddress> names;
  private final List<Query> queries = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  private DnsResponder(DatagramSocket socket, Map<String, InetAddress> names) {
    this.socket = socket;
    this.names = names;
    this.thread = new Thread(this::serve, "meshpassthrough-dns");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts a responder for {@code names}.
   *
   * @param names per name (any case, no trailing dot), its address, which must be a loopback one
   * @return the running responder; close it when done
   * @throws IllegalArgumentException when an address is not a loopback address
   */
  public static DnsResponder start(Map<String, InetAddress> names) {
    Map<String, InetAddress> lower = new TreeMap<>();
    names.forEach(
        (name, address) -> {
          if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(
                "the test DNS responder answers loopback addresses only: " + name + " " + address);
          }
          lower.put(name.toLowerCase(Locale.ROOT), address);
        });
    try {
      DatagramSocket socket = new DatagramSocket(null);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      socket.setSoTimeout(100);
      return new DnsResponder(socket, Map.copyOf(lower));
    } catch (IOException e) {
      throw new RealEnvoyException("could not open the test DNS responder: " + e.getMessage(), e);
    }
  }

  /**
   * Where it listens.
   *
   * @return {@code 127.0.0.1} and its port
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
  }

  /**
   * The questions answered so far, in arrival order.
   *
   * @return a copy, never null
   */
  public List<Query> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  private void serve() {
    byte[] buffer = new byte[1500];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return; // closed
      }
      byte[] request = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
      Optional<byte[]> answer = answer(request);
      if (answer.isEmpty()) {
        continue;
      }
      try {
        socket.send(
            new DatagramPacket(answer.get(), answer.get().length, packet.getSocketAddress()));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /**
   * The answer to one DNS message, recording its question; empty for anything but one standard
   * query (QR 0, opcode 0, one question of class IN).
   *
   * @param request the message as received
   * @return the response to send back, or empty to drop the message
   */
  public Optional<byte[]> answer(byte[] request) {
    if (request.length < 12) {
      return Optional.empty();
    }
    int flags = u16(request, 2);
    boolean isQuery = (flags & 0x8000) == 0 && ((flags >> 11) & 0xf) == 0;
    if (!isQuery || u16(request, 4) != 1) {
      return Optional.empty();
    }
    // The question's name: labels only (a query has no compression pointers).
    List<String> labels = new ArrayList<>();
    int at = 12;
    while (true) {
      if (at >= request.length) {
        return Optional.empty();
      }
      int length = request[at] & 0xff;
      if (length == 0) {
        at++;
        break;
      }
      if (length > 63 || at + 1 + length > request.length) {
        return Optional.empty();
      }
      labels.add(new String(request, at + 1, length, StandardCharsets.ISO_8859_1));
      at += 1 + length;
    }
    if (at + 4 > request.length || labels.isEmpty()) {
      return Optional.empty();
    }
    int type = u16(request, at);
    int qclass = u16(request, at + 2);
    int questionEnd = at + 4;
    if (qclass != CLASS_IN) {
      return Optional.empty();
    }
    String name = String.join(".", labels).toLowerCase(Locale.ROOT);
    synchronized (queries) {
      queries.add(
          new Query(
              name, type == TYPE_A ? "A" : type == TYPE_AAAA ? "AAAA" : Integer.toString(type)));
    }
    InetAddress address = names.get(name);
    boolean fits =
        address != null
            && ((type == TYPE_A && address instanceof Inet4Address)
                || (type == TYPE_AAAA && address instanceof Inet6Address));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(request[0]); // the query's id
    out.write(request[1]);
    // QR, the query's RD, AA and RA; NXDOMAIN for unknown names.
    int responseFlags = 0x8000 | (flags & 0x0100) | 0x0400 | 0x0080;
    if (address == null) {
      responseFlags |= RCODE_NXDOMAIN;
    }
    u16(out, responseFlags);
    u16(out, 1); // one question
    u16(out, fits ? 1 : 0);
    u16(out, 0);
    u16(out, 0);
    out.write(request, 12, questionEnd - 12);
    if (fits && address != null) {
      u16(out, 0xc00c); // the question's name
      u16(out, type);
      u16(out, CLASS_IN);
      u16(out, 0);
      u16(out, TTL_SECONDS);
      byte[] raw = address.getAddress();
      u16(out, raw.length);
      out.write(raw, 0, raw.length);
    }
    return Optional.of(out.toByteArray());
  }

  private static int u16(byte[] bytes, int at) {
    return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xff);
    out.write(value & 0xff);
  }

  /** Stops serving and waits (at most two seconds) for its thread to end. */
  @Override
  public void close() {
    closed = true;
    socket.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether its thread has ended, for tests that check nothing is left behind.
   *
   * @return true once {@link #close()} has stopped it
   */
  public boolean stopped() {
    return !thread.isAlive();
  }
}
