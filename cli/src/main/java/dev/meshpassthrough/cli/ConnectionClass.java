package dev.meshpassthrough.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One class of observed connections, as {@code replay} decides it: the protocol the log names and
 * the connection it stands for (dialed address and port, SNI or Host). Lines that give equal
 * classes are decided once.
 *
 * <p>Immutable; equal when protocol and connection are equal. {@code http2} and {@code grpc} are
 * the same connection (h2c) but different classes, so that the report names what the log said.
 *
 * @param protocol what the log says the client spoke
 * @param connection the connection that protocol and the logged address, port and name stand for
 */
public record ConnectionClass(Protocol protocol, Connection connection) {

  /**
   * Checks for null.
   *
   * @param protocol what the log says the client spoke, not null
   * @param connection the connection it stands for, not null
   * @throws NullPointerException when an argument is null
   */
  public ConnectionClass {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connection, "connection");
  }

  /**
   * The class of a connection to {@code ip}:{@code port} speaking {@code protocol}, with the name
   * the client sent: the SNI of {@code tls}, the Host ({@code :authority}) of {@code http}, {@code
   * http2} and {@code grpc}, exactly as sent.
   *
   * @param protocol what the client spoke, not null; {@code http} is HTTP/1.1
   * @param ip the dialed address, not null
   * @param port the dialed port, 1 to 65535
   * @param name the SNI or Host as sent, or empty when none was sent; must be empty for {@code tcp}
   *     and {@code mysql}
   * @return the class, never null
   * @throws IllegalArgumentException when the port is out of range, or a name is given for {@code
   *     tcp} or {@code mysql}
   */
  public static ConnectionClass of(
      Protocol protocol, InetAddress ip, int port, Optional<String> name) {
    return of(protocol, ip, port, name, Connection.HttpVersion.HTTP_1_1);
  }

  /**
   * As {@link #of(Protocol, InetAddress, int, Optional)}, with the HTTP version of an {@code http}
   * connection (HTTP/1.0 or HTTP/1.1; ignored for other protocols).
   */
  static ConnectionClass of(
      Protocol protocol,
      InetAddress ip,
      int port,
      Optional<String> name,
      Connection.HttpVersion httpVersion) {
    Connection.Payload payload =
        switch (protocol) {
          case TCP -> nameless(protocol, name, new Connection.OpaqueBytes());
          case MYSQL -> nameless(protocol, name, new Connection.ServerFirst());
          case TLS -> new Connection.TlsClientHello(name, List.of());
          case HTTP -> new Connection.HttpRequest(httpVersion, name);
          case HTTP2, GRPC -> new Connection.HttpRequest(Connection.HttpVersion.H2C, name);
        };
    return new ConnectionClass(protocol, new Connection(ip, port, payload, Optional.empty()));
  }

  private static Connection.Payload nameless(
      Protocol protocol, Optional<String> name, Connection.Payload payload) {
    if (name.isPresent()) {
      throw new IllegalArgumentException(
          protocol.wireName() + " sends no SNI or Host, but the line names '" + name.get() + "'");
    }
    return payload;
  }

  /**
   * Where the connection goes, for the report's top denied destinations: the SNI or the Host's
   * name, else the dialed address, then {@code :port} (the dialed port; IPv6 in brackets).
   *
   * @return for example {@code api.example.com:443} or {@code [2001:db8::1]:5432}
   */
  public String destination() {
    Optional<String> name = Optional.empty();
    if (connection.payload() instanceof Connection.TlsClientHello hello) {
      name = hello.serverName();
    } else if (connection.payload() instanceof Connection.HttpRequest request) {
      name = request.host().map(ConnectionClass::hostName);
    }
    String host =
        name.orElseGet(
            () ->
                connection.destination() instanceof Inet4Address
                    ? connection.destinationText()
                    : "[" + InetAddresses.toAddrString(connection.destination()) + "]");
    return host + ":" + connection.port();
  }

  /** The Host without its port, or as sent when it does not parse as host and port. */
  private static String hostName(String host) {
    try {
      HostAndPort parsed = HostAndPort.fromString(host);
      String name = parsed.getHost();
      return name.indexOf(':') >= 0 ? "[" + name + "]" : name;
    } catch (IllegalArgumentException e) {
      return host;
    }
  }

  /** For example {@code tls: TLS (SNI api.example.com) to 192.0.2.1:443}. */
  @Override
  public String toString() {
    return protocol.wireName() + ": " + connection;
  }
}
