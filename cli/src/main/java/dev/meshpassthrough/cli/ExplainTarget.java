package dev.meshpassthrough.cli;

import com.google.common.net.HostAndPort;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The connection {@code explain} simulates, from its options: {@code --to HOST|IP:PORT}, {@code
 * --protocol}, and the SNI, Host, dialed address, ALPN and HTTP version that refine it.
 *
 * @param to the {@code --to} value
 * @param protocol what the client speaks
 * @param sni {@code --sni}, if given
 * @param sniMode {@code --no-sni}: a ClientHello without SNI
 * @param host {@code --host}, if given
 * @param hostMode {@code --no-host}: an HTTP request without Host (h2c: without {@code :authority})
 * @param ip {@code --ip}, if given
 * @param alpn {@code --alpn}, possibly empty
 * @param httpVersion {@code --http-version}, if given
 */
record ExplainTarget(
    String to,
    Protocol protocol,
    Optional<String> sni,
    SniMode sniMode,
    Optional<String> host,
    HostMode hostMode,
    Optional<String> ip,
    List<String> alpn,
    Optional<String> httpVersion) {

  /** Whether {@code --no-sni} was given. */
  enum SniMode {
    /** SNI from {@code --sni}, else from a name in {@code --to}. */
    DEFAULT,
    /** No SNI at all. */
    NONE
  }

  /** Whether {@code --no-host} was given. */
  enum HostMode {
    /** Host from {@code --host}, else from {@code --to} as curl sends it. */
    DEFAULT,
    /** No Host at all. */
    NONE
  }

  /**
   * The connection.
   *
   * @throws IllegalArgumentException when the options do not describe one; the message says why
   */
  Connection connection() {
    HostAndPort target = parseTo();
    String name = target.getHost();
    boolean nameIsIp = IpLiteral.parse(name).isPresent();
    String dialed = ip.orElse(nameIsIp ? name : Connection.DOCUMENTATION_IPV4);
    requireIp(dialed);
    checkRefinements();
    int port = target.getPort();
    return switch (protocol) {
      case TCP -> Connection.tcp(dialed, port);
      case MYSQL -> Connection.mysql(dialed, port);
      case TLS -> tls(name, nameIsIp, dialed, port);
      case HTTP ->
          http(
              httpVersion.orElse("1.1").equals("1.0")
                  ? Connection.http10(name, port)
                  : Connection.http(name, port),
              dialed);
      case HTTP2, GRPC -> http(Connection.h2c(name, port), dialed);
    };
  }

  private Connection tls(String name, boolean nameIsIp, String dialed, int port) {
    Connection connection = Connection.tls(dialed, port);
    Optional<String> serverName =
        sniMode == SniMode.NONE
            ? Optional.empty()
            : sni.or(() -> nameIsIp ? Optional.empty() : Optional.of(name));
    if (serverName.isPresent()) {
      connection = connection.withSni(serverName.get());
    }
    return alpn.isEmpty() ? connection : connection.withAlpn(alpn.toArray(String[]::new));
  }

  private Connection http(Connection request, String dialed) {
    Connection connection = request.dialing(dialed);
    if (hostMode == HostMode.NONE) {
      return connection.withoutHost();
    }
    return host.map(connection::withHost).orElse(connection);
  }

  private HostAndPort parseTo() {
    HostAndPort target;
    try {
      target = HostAndPort.fromString(to);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--to must be HOST:PORT or IP:PORT ([IPv6]:PORT), got '" + to + "'", e);
    }
    if (!target.hasPort() || target.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "--to must be HOST:PORT or IP:PORT ([IPv6]:PORT), got '" + to + "'");
    }
    if (target.getPort() < 1) {
      throw new IllegalArgumentException(
          "the port of --to must be within 1-65535, got " + target.getPort());
    }
    return target;
  }

  private static void requireIp(String dialed) {
    if (IpLiteral.parse(dialed).filter(l -> !l.zoneId()).isEmpty()) {
      throw new IllegalArgumentException(
          "--ip must be an IPv4 or IPv6 address, got '" + dialed + "'");
    }
  }

  private void checkRefinements() {
    if (protocol != Protocol.TLS
        && (sni.isPresent() || sniMode == SniMode.NONE || !alpn.isEmpty())) {
      throw new IllegalArgumentException("--sni, --no-sni and --alpn need --protocol tls");
    }
    if (sni.isPresent() && sniMode == SniMode.NONE) {
      throw new IllegalArgumentException("--sni and --no-sni exclude each other");
    }
    if (!protocol.isLayer7() && (host.isPresent() || hostMode == HostMode.NONE)) {
      throw new IllegalArgumentException(
          "--host and --no-host need --protocol http, http2 or grpc");
    }
    if (host.isPresent() && hostMode == HostMode.NONE) {
      throw new IllegalArgumentException("--host and --no-host exclude each other");
    }
    if (httpVersion.isPresent()) {
      if (protocol != Protocol.HTTP) {
        throw new IllegalArgumentException(
            "--http-version needs --protocol http (http2 and grpc are h2c)");
      }
      if (!httpVersion.get().equals("1.0") && !httpVersion.get().equals("1.1")) {
        throw new IllegalArgumentException(
            "--http-version must be 1.0 or 1.1, got '" + httpVersion.get() + "'");
      }
    }
  }
}
