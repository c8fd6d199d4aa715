package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.testkit.Connection;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Envoy knows about a connection at a given moment: the local address (the listener's until
 * original_dst restores the dialed one) and what the inspectors found.
 *
 * @param connection the connection as the client opened it
 * @param localAddress the socket's local address
 * @param localPort the socket's local port
 * @param transport the transport protocol, if a listener filter set one
 * @param serverName the SNI, lowercased; empty when none
 * @param alpn the application protocols, in order; empty when none
 */
record ConnectionFacts(
    Connection connection,
    InetAddress localAddress,
    int localPort,
    Optional<String> transport,
    String serverName,
    List<String> alpn) {

  ConnectionFacts {
    alpn = List.copyOf(alpn);
  }

  /** The connection as the listener bound at {@code address:port} first sees it. */
  static ConnectionFacts accepted(Connection connection, InetAddress address, int port) {
    return new ConnectionFacts(connection, address, port, Optional.empty(), "", List.of());
  }

  /** original_dst: the local address becomes the dialed one. */
  ConnectionFacts restored() {
    return new ConnectionFacts(
        connection, connection.destination(), connection.port(), transport, serverName, alpn);
  }

  /** tls_inspector parsed a ClientHello. */
  ConnectionFacts withTls(Optional<String> sni, List<String> offered) {
    return new ConnectionFacts(
        connection,
        localAddress,
        localPort,
        Optional.of(EnvoyTypes.TRANSPORT_TLS),
        sni.map(s -> s.toLowerCase(Locale.ROOT)).orElse(""),
        offered);
  }

  /** http_inspector recognised an HTTP version. */
  ConnectionFacts withAlpn(String protocol) {
    return new ConnectionFacts(
        connection, localAddress, localPort, transport, serverName, List.of(protocol));
  }

  /** What Envoy sets just before choosing a chain when no listener filter set a transport. */
  ConnectionFacts withDefaultTransport() {
    return transport.isPresent()
        ? this
        : new ConnectionFacts(
            connection,
            localAddress,
            localPort,
            Optional.of(EnvoyTypes.TRANSPORT_RAW_BUFFER),
            serverName,
            alpn);
  }

  String transportOrEmpty() {
    return transport.orElse("");
  }

  /** The local address and port, for example {@code 10.1.2.3:443} or {@code [2001:db8::1]:443}. */
  String localText() {
    String ip = InetAddresses.toAddrString(localAddress);
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + localPort;
  }

  Optional<InetAddress> sourceAddress() {
    return connection.source().map(s -> s.getAddress());
  }

  /** Source type SAME_IP_OR_LOOPBACK: the source is loopback or the local address itself. */
  boolean isLocalSource() {
    return sourceAddress().map(s -> s.isLoopbackAddress() || s.equals(localAddress)).orElse(false);
  }
}
