package dev.meshpassthrough.testkit.envoy.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.testkit.Connection;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The bytes a probe client sends: a PROXY protocol v1 header carrying the dialed destination, then
 * what the {@link Connection} sends first. ClientHello and h2c frames are written by hand so that
 * any SNI, ALPN or {@code :authority} can be sent exactly as given.
 */
public final class ProbeBytes {
  /** What opaque client-first bytes look like: neither a TLS record nor an HTTP request line. */
  static final byte[] OPAQUE =
      "\u0000\u0001meshpassthrough opaque probe\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private ProbeBytes() {}

  /** {@code PROXY TCP4|TCP6 src dst sport dport\r\n}. */
  public static byte[] proxyHeader(InetSocketAddress source, Connection connection) {
    String family = connection.destination() instanceof Inet4Address ? "TCP4" : "TCP6";
    String header =
        "PROXY "
            + family
            + " "
            + InetAddresses.toAddrString(source.getAddress())
            + " "
            + connection.destinationText()
            + " "
            + source.getPort()
            + " "
            + connection.port()
            + "\r\n";
    return header.getBytes(StandardCharsets.US_ASCII);
  }

  /** What the client sends first; empty for a server-first client. */
  public static byte[] payload(Connection.Payload payload) {
    if (payload instanceof Connection.TlsClientHello hello) {
      return clientHello(hello.serverName(), hello.alpn());
    }
    if (payload instanceof Connection.HttpRequest request) {
      return request.version() == Connection.HttpVersion.H2C ? h2c(request.host()) : http1(request);
    }
    if (payload instanceof Connection.OpaqueBytes) {
      return OPAQUE.clone();
    }
    return new byte[0];
  }

  private static byte[] http1(Connection.HttpRequest request) {
    String version = request.version() == Connection.HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
    String text =
        "GET / "
            + version
            + "\r\n"
            + request.host().map(h -> "Host: " + h + "\r\n").orElse("")
            + "User-Agent: meshpassthrough-probe\r\n\r\n";
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] h2c(Optional<String> authority) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(out, 0x4, 0, 0, new byte[0]);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82); // :method GET
    block.write(0x86); // :scheme http
    block.write(0x84); // :path /
    authority.ifPresent(
        a -> {
          block.write(0x41); // literal with incremental indexing, name :authority
          byte[] value = a.getBytes(StandardCharsets.ISO_8859_1);
          hpackInteger(block, 0x00, 7, value.length);
          block.writeBytes(value);
        });
    frame(out, 0x1, 0x5, 1, block.toByteArray()); // HEADERS, END_STREAM | END_HEADERS
    return out.toByteArray();
  }

  private static void frame(
      ByteArrayOutputStream out, int type, int flags, int stream, byte[] body) {
    out.write(body.length >>> 16);
    out.write(body.length >>> 8);
    out.write(body.length);
    out.write(type);
    out.write(flags);
    out.write(stream >>> 24);
    out.write(stream >>> 16);
    out.write(stream >>> 8);
    out.write(stream);
    out.writeBytes(body);
  }

  private static void hpackInteger(
      ByteArrayOutputStream out, int firstByteFlags, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out.write(firstByteFlags | value);
      return;
    }
    out.write(firstByteFlags | max);
    int rest = value - max;
    while (rest >= 128) {
      out.write((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  /** A TLS 1.2-compatible ClientHello record with the given SNI and ALPN. */
  static byte[] clientHello(Optional<String> serverName, List<String> alpn) {
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    serverName.ifPresent(
        name -> {
          byte[] host = name.getBytes(StandardCharsets.UTF_8);
          ByteArrayOutputStream list = new ByteArrayOutputStream();
          list.write(0); // host_name
          u16(list, host.length);
          list.writeBytes(host);
          extension(extensions, 0x0000, prefixed16(list.toByteArray()));
        });
    if (!alpn.isEmpty()) {
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      for (String protocol : alpn) {
        byte[] p = protocol.getBytes(StandardCharsets.US_ASCII);
        list.write(p.length);
        list.writeBytes(p);
      }
      extension(extensions, 0x0010, prefixed16(list.toByteArray()));
    }
    extension(
        extensions,
        0x000a,
        new byte[] {0, 4, 0, 0x1d, 0, 0x17}); // supported_groups: x25519, secp256r1
    extension(
        extensions, 0x000d, new byte[] {0, 4, 0x04, 0x03, 0x08, 0x04}); // signature_algorithms
    extension(
        extensions, 0x002b, new byte[] {4, 0x03, 0x04, 0x03, 0x03}); // supported_versions: 1.3, 1.2

    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, 0x0303);
    for (int i = 0; i < 32; i++) {
      body.write(i * 7 + 1);
    }
    body.write(0); // session id
    body.writeBytes(prefixed16(new byte[] {0x13, 0x01, (byte) 0xc0, 0x2f, 0x00, (byte) 0x9c}));
    body.write(1);
    body.write(0); // compression: null
    body.writeBytes(prefixed16(extensions.toByteArray()));

    byte[] hello = body.toByteArray();
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    handshake.write(1);
    handshake.write(hello.length >>> 16);
    handshake.write(hello.length >>> 8);
    handshake.write(hello.length);
    handshake.writeBytes(hello);

    byte[] message = handshake.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16);
    u16(record, 0x0301);
    u16(record, message.length);
    record.writeBytes(message);
    return record.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
  }

  private static byte[] prefixed16(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value);
  }
}
