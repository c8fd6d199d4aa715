package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.net.HostAndPort;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An Envoy access log in JSON lines ({@code json_format}), one object per line, with these keys
 * (others are ignored):
 *
 * <ul>
 *   <li>{@code downstream_local_address}, {@code %DOWNSTREAM_LOCAL_ADDRESS%}: the dialed {@code
 *       ip:port} or {@code [ipv6]:port}; required;
 *   <li>{@code requested_server_name}, {@code %REQUESTED_SERVER_NAME%}: the SNI;
 *   <li>{@code authority}, {@code %REQ(:AUTHORITY)%}: the Host or {@code :authority} as sent;
 *   <li>{@code protocol}, {@code %PROTOCOL%}: {@code HTTP/1.0} and {@code HTTP/1.1} are {@code
 *       http} (with that version), {@code HTTP/2} is {@code http2}; absent, it is {@code tls} when
 *       there is an SNI and {@code tcp} otherwise. {@code HTTP/3} and anything else is malformed:
 *       QUIC never reaches a passthrough listener.
 * </ul>
 *
 * <p>Envoy writes {@code -} or {@code null} for a value it does not have; both, an empty string and
 * a missing key mean absent. The SNI of an {@code http} line and the authority of a {@code tls} or
 * {@code tcp} line are ignored: the client did not send them in the bytes a passthrough listener
 * inspects.
 */
final class AccessLogFormat implements ConnectionFormat {
  @Override
  public String name() {
    return "envoy-access-log";
  }

  @Override
  public boolean recognises(String firstLine) {
    return firstLine.stripLeading().startsWith("{");
  }

  @Override
  public boolean isHeader(String firstLine) {
    return false;
  }

  @Override
  public ParsedLine parse(String line) {
    Fields fields = new Fields();
    Optional<String> problem = JsonLine.read(line, fields);
    return problem.isPresent() ? new ParsedLine.Malformed(problem.get()) : fields.connection();
  }

  /** The values of the four keys, absent when missing, null, empty or {@code -}. */
  private static final class Fields implements JsonLine.Fields {
    private @Nullable String address;
    private @Nullable String serverName;
    private @Nullable String authority;
    private @Nullable String protocol;

    @Override
    public Optional<String> put(String key, JsonToken value, JsonParser parser) throws IOException {
      boolean known =
          switch (key) {
            case "downstream_local_address", "requested_server_name", "authority", "protocol" ->
                true;
            default -> false;
          };
      if (!known) {
        parser.skipChildren();
      } else if (value == JsonToken.VALUE_STRING) {
        put(key, parser.getText());
      } else if (value != JsonToken.VALUE_NULL) {
        return Optional.of("'" + key + "' must be a string or null");
      }
      return Optional.empty();
    }

    private void put(String key, String value) {
      String present = value.isEmpty() || value.equals("-") ? null : value;
      switch (key) {
        case "downstream_local_address" -> address = present;
        case "requested_server_name" -> serverName = present;
        case "authority" -> authority = present;
        default -> protocol = present;
      }
    }

    ParsedLine connection() {
      if (address == null) {
        return new ParsedLine.Malformed("'downstream_local_address' is missing");
      }
      HostAndPort dialed;
      try {
        dialed = HostAndPort.fromString(address);
      } catch (IllegalArgumentException e) {
        dialed = null;
      }
      Optional<InetAddress> ip = dialed == null ? Optional.empty() : CsvFormat.ip(dialed.getHost());
      if (dialed == null || ip.isEmpty() || !dialed.hasPort()) {
        return new ParsedLine.Malformed(
            "'downstream_local_address' "
                + "'"
                + ReplayText.printable(address)
                + "' is not IP:PORT or [IPv6]:PORT");
      }
      int port = dialed.getPort();
      if (port < 1) {
        return new ParsedLine.Malformed("'downstream_local_address' has port 0");
      }
      Protocol seen;
      Optional<String> name;
      Connection.HttpVersion version = Connection.HttpVersion.HTTP_1_1;
      if (protocol == null) {
        seen = serverName == null ? Protocol.TCP : Protocol.TLS;
        name = Optional.ofNullable(serverName);
      } else {
        switch (protocol) {
          case "HTTP/1.0" -> {
            seen = Protocol.HTTP;
            version = Connection.HttpVersion.HTTP_1_0;
          }
          case "HTTP/1.1" -> seen = Protocol.HTTP;
          case "HTTP/2" -> seen = Protocol.HTTP2;
          default -> {
            return new ParsedLine.Malformed(
                "'protocol' '"
                    + ReplayText.printable(protocol)
                    + "' is not HTTP/1.0, HTTP/1.1, HTTP/2 or absent");
          }
        }
        name = Optional.ofNullable(authority);
      }
      if (name.isPresent() && !ReplayText.isName(name.get())) {
        return new ParsedLine.Malformed(
            "the SNI or authority '"
                + ReplayText.printable(name.get())
                + "' holds a space or a non-ASCII character");
      }
      return new ParsedLine.Parsed(ConnectionClass.of(seen, ip.get(), port, name, version));
    }
  }
}
