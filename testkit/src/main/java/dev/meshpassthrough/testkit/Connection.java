package dev.meshpassthrough.testkit;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Port;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One outbound connection of an application behind a transparent proxy: the address it dials and
 * what it sends first.
 *
 * <p>Immutable. Build one with {@link #tls(String, int)}, {@link #http(String, int)}, {@link
 * #http10(String, int)}, {@link #h2c(String, int)}, {@link #tcp(String, int)} or {@link
 * #mysql(String, int)}, then adjust it with {@link #dialing(String)}, {@link #withAlpn(String...)},
 * {@link #withHost(String)} and the like. A name given to a factory becomes the SNI or Host, and
 * the connection dials the documentation address {@value #DOCUMENTATION_IPV4} until {@link
 * #dialing(String)} says otherwise: a Domain rule is judged by the name the client sends, never by
 * the address it resolved. IP literals are parsed with Guava, never through DNS.
 *
 * @param destination the dialed (original destination) address; its family picks the listener
 * @param port the dialed port, 1 to 65535
 * @param payload what the client sends first, or that it sends nothing
 * @param source the client's address, if known; chains with source criteria need it
 */
public record Connection(
    InetAddress destination, int port, Payload payload, Optional<InetSocketAddress> source) {
  /** The IPv4 address a name is dialed at unless told otherwise (RFC 5737 TEST-NET-1). */
  public static final String DOCUMENTATION_IPV4 = "192.0.2.1";

  /** The IPv6 documentation address (RFC 3849), for {@link #dialing(String)}. */
  public static final String DOCUMENTATION_IPV6 = "2001:db8::1";

  /**
   * Checks the port.
   *
   * @param destination the dialed (original destination) address, not null; its family picks the
   *     listener
   * @param port the dialed port, 1 to 65535
   * @param payload what the client sends first, or {@link ServerFirst} when it sends nothing; not
   *     null
   * @param source the client's address and port, or empty when unknown; not null
   * @throws NullPointerException when {@code destination}, {@code payload} or {@code source} is
   *     null
   * @throws IllegalArgumentException when the port is outside 1-65535
   */
  public Connection {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
    Port.of(port);
  }

  /**
   * A TLS connection: a ClientHello with SNI {@code host} and no ALPN, dialing {@value
   * #DOCUMENTATION_IPV4}. When {@code host} is an IP literal, it is dialed and no SNI is sent, as
   * TLS clients do.
   *
   * @param host the server name, sent as SNI, or an IP literal (IPv6 without brackets), dialed
   *     itself; not empty
   * @param port the dialed port, 1 to 65535
   * @return a client-first TLS connection without a source address, never null
   * @throws IllegalArgumentException when the host is empty or the port out of range
   */
  public static Connection tls(String host, int port) {
    Optional<InetAddress> ip = ipLiteral(host);
    Optional<String> sni = ip.isPresent() ? Optional.empty() : Optional.of(host);
    return new Connection(
        ip.orElse(parseIp(DOCUMENTATION_IPV4)),
        port,
        new TlsClientHello(sni, List.of()),
        Optional.empty());
  }

  /**
   * A plaintext HTTP/1.1 request for {@code host}, with the {@code Host} header curl sends: the
   * host, plus {@code :port} unless the port is 80 (IPv6 literals in brackets). A name dials
   * {@value #DOCUMENTATION_IPV4}; an IP literal is dialed itself.
   *
   * @param host the host name, or an IP literal (IPv6 without brackets) that is dialed itself; not
   *     empty
   * @param port the dialed port, 1 to 65535; also written in the {@code Host} unless it is 80
   * @return a plaintext HTTP/1.1 connection without a source address, never null
   * @throws IllegalArgumentException when the host is empty or the port out of range
   */
  public static Connection http(String host, int port) {
    return httpRequest(HttpVersion.HTTP_1_1, host, port);
  }

  /**
   * Like {@link #http(String, int)}, as an HTTP/1.0 request.
   *
   * @param host the host name, or an IP literal (IPv6 without brackets) that is dialed itself; not
   *     empty
   * @param port the dialed port, 1 to 65535; also written in the {@code Host} unless it is 80
   * @return a plaintext HTTP/1.0 connection without a source address, never null
   * @throws IllegalArgumentException when the host is empty or the port out of range
   */
  public static Connection http10(String host, int port) {
    return httpRequest(HttpVersion.HTTP_1_0, host, port);
  }

  /**
   * HTTP/2 with prior knowledge (h2c, as gRPC without TLS sends it): {@code :authority} as {@link
   * #http(String, int)} writes the Host.
   *
   * @param host the host name, or an IP literal (IPv6 without brackets) that is dialed itself; not
   *     empty
   * @param port the dialed port, 1 to 65535; also written in the {@code :authority} unless it is 80
   * @return an h2c connection without a source address, never null
   * @throws IllegalArgumentException when the host is empty or the port out of range
   */
  public static Connection h2c(String host, int port) {
    return httpRequest(HttpVersion.H2C, host, port);
  }

  /**
   * A client-first connection whose first bytes are neither TLS nor HTTP, to {@code ip}.
   *
   * @param ip the dialed IPv4 or IPv6 literal (IPv6 without brackets or zone), not a name
   * @param port the dialed port, 1 to 65535
   * @return a connection sending {@link OpaqueBytes}, without a source address; never null
   * @throws IllegalArgumentException when {@code ip} is not an IP literal or the port out of range
   */
  public static Connection tcp(String ip, int port) {
    return new Connection(parseIp(ip), port, new OpaqueBytes(), Optional.empty());
  }

  /**
   * A server-first connection (MySQL, SMTP, FTP...): the client sends nothing until the server has
   * spoken.
   *
   * @param ip the dialed IPv4 or IPv6 literal (IPv6 without brackets or zone), not a name
   * @param port the dialed port, 1 to 65535
   * @return a {@link ServerFirst} connection without a source address, never null
   * @throws IllegalArgumentException when {@code ip} is not an IP literal or the port out of range
   */
  public static Connection mysql(String ip, int port) {
    return new Connection(parseIp(ip), port, new ServerFirst(), Optional.empty());
  }

  /**
   * This connection dialing {@code ip} instead, with the same payload.
   *
   * @param ip the IPv4 or IPv6 literal to dial (IPv6 without brackets or zone), not a name; for
   *     example {@value #DOCUMENTATION_IPV6}
   * @return a copy with that destination, the port, payload and source unchanged; never null
   * @throws IllegalArgumentException when {@code ip} is not an IP literal
   */
  public Connection dialing(String ip) {
    return new Connection(parseIp(ip), port, payload, source);
  }

  /**
   * This connection from the client address {@code ip} and port {@code sourcePort}.
   *
   * @param ip the client's IPv4 or IPv6 literal (IPv6 without brackets or zone), not a name
   * @param sourcePort the client's port, 1 to 65535
   * @return a copy with that source, everything else unchanged; never null
   * @throws IllegalArgumentException when {@code ip} is not an IP literal or the port out of range
   */
  public Connection from(String ip, int sourcePort) {
    Port.of(sourcePort);
    return new Connection(
        destination, port, payload, Optional.of(new InetSocketAddress(parseIp(ip), sourcePort)));
  }

  /**
   * This TLS connection offering the ALPN protocols {@code alpn}, in order.
   *
   * @param alpn the protocols offered, such as {@code h2} and {@code http/1.1}, in the client's
   *     order of preference; none for no ALPN; no element may be null
   * @return a copy whose ClientHello offers exactly these protocols, its SNI unchanged; never null
   * @throws NullPointerException when a protocol is null
   * @throws IllegalStateException when the connection is not TLS
   */
  public Connection withAlpn(String... alpn) {
    TlsClientHello hello = requireTls("ALPN");
    return new Connection(
        destination, port, new TlsClientHello(hello.serverName(), Arrays.asList(alpn)), source);
  }

  /**
   * This TLS connection sending SNI {@code serverName}.
   *
   * @param serverName the SNI as sent, not null; not checked, so that odd names can be tested
   * @return a copy whose ClientHello sends that SNI, its ALPN unchanged; never null
   * @throws NullPointerException when {@code serverName} is null
   * @throws IllegalStateException when the connection is not TLS
   */
  public Connection withSni(String serverName) {
    TlsClientHello hello = requireTls("SNI");
    return new Connection(
        destination, port, new TlsClientHello(Optional.of(serverName), hello.alpn()), source);
  }

  /**
   * This TLS connection without SNI.
   *
   * @return a copy whose ClientHello sends no SNI, its ALPN unchanged; never null
   * @throws IllegalStateException when the connection is not TLS
   */
  public Connection withoutSni() {
    TlsClientHello hello = requireTls("SNI");
    return new Connection(
        destination, port, new TlsClientHello(Optional.empty(), hello.alpn()), source);
  }

  /**
   * This HTTP request with the {@code Host} (or {@code :authority}) exactly as given, port included
   * if any.
   *
   * @param host the header value as sent, such as {@code api.example.com:8080}; not null, not
   *     checked
   * @return a copy with that {@code Host}, same HTTP version; never null
   * @throws NullPointerException when {@code host} is null
   * @throws IllegalStateException when the connection is not HTTP
   */
  public Connection withHost(String host) {
    if (!(payload instanceof HttpRequest request)) {
      throw new IllegalStateException("only an HTTP request has a Host: " + this);
    }
    return new Connection(
        destination, port, new HttpRequest(request.version(), Optional.of(host)), source);
  }

  /**
   * This HTTP request without {@code Host} (h2c: without {@code :authority}), as a client that
   * dials an address and names no host sends it.
   *
   * @return a copy without {@code Host}, same HTTP version; never null
   * @throws IllegalStateException when the connection is not HTTP
   */
  public Connection withoutHost() {
    if (!(payload instanceof HttpRequest request)) {
      throw new IllegalStateException("only an HTTP request has a Host: " + this);
    }
    return new Connection(
        destination, port, new HttpRequest(request.version(), Optional.empty()), source);
  }

  /**
   * The address family of the dialed address, which picks the passthrough listener.
   *
   * @return {@link IpFamily#IPV4} for an IPv4 destination, else {@link IpFamily#IPV6}
   */
  public IpFamily family() {
    return destination instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /**
   * The dialed address in canonical text (RFC 5952 for IPv6).
   *
   * @return the address without brackets or port, such as {@code 192.0.2.1} or {@code 2001:db8::1}
   */
  public String destinationText() {
    return InetAddresses.toAddrString(destination);
  }

  /** For example {@code TLS (SNI api.example.com, ALPN h2) to 192.0.2.1:443}. */
  @Override
  public String toString() {
    String target =
        family() == IpFamily.IPV6
            ? "[" + destinationText() + "]:" + port
            : destinationText() + ":" + port;
    return payload + " to " + target;
  }

  private TlsClientHello requireTls(String what) {
    if (payload instanceof TlsClientHello hello) {
      return hello;
    }
    throw new IllegalStateException("only a TLS connection has " + what + ": " + this);
  }

  private static Connection httpRequest(HttpVersion version, String host, int port) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the host is empty");
    }
    Optional<InetAddress> ip = ipLiteral(host);
    String name =
        ip.filter(a -> !(a instanceof Inet4Address))
            .map(a -> "[" + InetAddresses.toAddrString(a) + "]")
            .orElse(host);
    String authority = port == 80 ? name : name + ":" + port;
    return new Connection(
        ip.orElse(parseIp(DOCUMENTATION_IPV4)),
        port,
        new HttpRequest(version, Optional.of(authority)),
        Optional.empty());
  }

  private static Optional<InetAddress> ipLiteral(String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the host is empty");
    }
    return IpLiteral.parse(host).filter(l -> !l.zoneId()).map(IpLiteral::address);
  }

  private static InetAddress parseIp(String ip) {
    return IpLiteral.parse(ip)
        .filter(l -> !l.zoneId())
        .map(IpLiteral::address)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address: '" + ip + "'"));
  }

  /** What the client sends first; {@link ServerFirst} when it waits for the server. */
  public sealed interface Payload permits TlsClientHello, HttpRequest, OpaqueBytes, ServerFirst {}

  /**
   * A TLS ClientHello.
   *
   * @param serverName the SNI, if sent, as sent
   * @param alpn the ALPN protocols offered, in the client's order
   */
  public record TlsClientHello(Optional<String> serverName, List<String> alpn) implements Payload {
    /**
     * Copies the list.
     *
     * @param serverName the SNI as sent, or empty when none is sent; not null
     * @param alpn the ALPN protocols offered, in the client's order; copied; not null, nor any
     *     element
     * @throws NullPointerException when {@code alpn} or one of its elements is null
     */
    public TlsClientHello {
      alpn = List.copyOf(alpn);
    }

    /** For example {@code TLS (SNI api.example.com, ALPN h2,http/1.1)}. */
    @Override
    public String toString() {
      return "TLS ("
          + serverName.map(s -> "SNI " + s).orElse("no SNI")
          + (alpn.isEmpty() ? "" : ", ALPN " + String.join(",", alpn))
          + ")";
    }
  }

  /**
   * A plaintext HTTP request.
   *
   * @param version HTTP/1.0, HTTP/1.1 or h2c with prior knowledge
   * @param host the {@code Host} header (h2c: {@code :authority}) as sent, port included if any
   */
  public record HttpRequest(HttpVersion version, Optional<String> host) implements Payload {
    /**
     * Checks for null.
     *
     * @param version HTTP/1.0, HTTP/1.1 or h2c with prior knowledge; not null
     * @param host the {@code Host} header (h2c: {@code :authority}) as sent, port included if any,
     *     or empty when the request names no host; not null
     * @throws NullPointerException when an argument is null
     */
    public HttpRequest {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(host, "host");
    }

    /** For example {@code HTTP/1.1 (Host api.example.com:8080)}. */
    @Override
    public String toString() {
      return version.wireName()
          + " ("
          + host.map(h -> (version == HttpVersion.H2C ? ":authority " : "Host ") + h)
              .orElse("no Host")
          + ")";
    }
  }

  /** Client-first bytes that are neither a TLS ClientHello nor HTTP. */
  public record OpaqueBytes() implements Payload {
    /** {@code opaque bytes}. */
    @Override
    public String toString() {
      return "opaque bytes";
    }
  }

  /** Nothing: a server-first protocol such as MySQL, where the client waits for the server. */
  public record ServerFirst() implements Payload {
    /** {@code nothing (server-first)}. */
    @Override
    public String toString() {
      return "nothing (server-first)";
    }
  }

  /** The plaintext HTTP versions Envoy's http_inspector tells apart. */
  public enum HttpVersion {
    /** HTTP/1.0: http_inspector reports ALPN {@code http/1.0}. */
    HTTP_1_0("HTTP/1.0", "http/1.0"),
    /** HTTP/1.1: ALPN {@code http/1.1}. */
    HTTP_1_1("HTTP/1.1", "http/1.1"),
    /** HTTP/2 with prior knowledge: ALPN {@code h2c}. */
    H2C("h2c", "h2c");

    private final String wireName;
    private final String inspectedAlpn;

    HttpVersion(String wireName, String inspectedAlpn) {
      this.wireName = wireName;
      this.inspectedAlpn = inspectedAlpn;
    }

    /**
     * How the version is written, for example {@code HTTP/1.1}.
     *
     * @return {@code HTTP/1.0}, {@code HTTP/1.1} or {@code h2c}
     */
    public String wireName() {
      return wireName;
    }

    /**
     * The application protocol Envoy's http_inspector sets for it.
     *
     * @return {@code http/1.0}, {@code http/1.1} or {@code h2c}
     */
    public String inspectedAlpn() {
      return inspectedAlpn;
    }
  }
}
