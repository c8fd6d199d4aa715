package dev.meshpassthrough.envoy.internal.exact;

import com.google.protobuf.Any;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ExtensionFilter;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import java.util.List;
import java.util.Optional;

/**
 * The audit log of audit mode: one JSON object per line, written by Envoy's file access logger on
 * the audit paths only. The keys are fixed (README, "Audit mode"); a value Envoy does not have is
 * {@code null}.
 *
 * <ul>
 *   <li>{@code time}: when the connection (tcp_proxy) or request (HTTP) started, RFC 3339 in UTC.
 *   <li>{@code verdict}: always {@value #VERDICT}.
 *   <li>{@code destination_address}, {@code destination_port}: the address and port the client
 *       dialed (a string and a number).
 *   <li>{@code sni}: the TLS server name in lower case, as tls_inspector reads it ({@code null}
 *       without one, and on ports the inspectors do not read); {@code authority}: the Host or
 *       {@code :authority} of an HTTP request without its port (the connection manager strips it
 *       before routing and logging), {@code null} on connection lines.
 *   <li>{@code protocol}: what Envoy saw: {@code tls}, {@code http} (HTTP/1.x), {@code h2c}, or
 *       {@code raw} (neither, or a port the inspectors do not read).
 *   <li>{@code listener}, {@code chain}: where Envoy took it; {@code source}: the client's address
 *       and port.
 *   <li>{@code nearest_entry}: a hint, fixed per chain: the first entry in merged order that
 *       applies at the same port and address (in the legacy encoding; the same port in the matcher
 *       encoding), the same kind of traffic first, else the first of the port ({@code
 *       appendMatch[i] Domain api.example.com:443/tls}); {@code null} when no entry applies to the
 *       port. {@code explain} or {@code replay} give the exact reason per connection.
 * </ul>
 */
final class AuditLogs {
  /** The verdict of every audit log line. */
  static final String VERDICT = "would-deny";

  private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  /** The protocol Envoy's HTTP connection manager reports for h2c. */
  private static final String HTTP2 = "HTTP/2";

  private AuditLogs() {}

  /**
   * The log of a tcp_proxy audit chain: one line per connection.
   *
   * @param path where Envoy writes it
   * @param protocol the {@code protocol} value: what the chain's match says Envoy saw
   * @param nearest the nearest entry's text, if any
   */
  static AccessLog connections(String path, String protocol, Optional<String> nearest) {
    return log(path, format(protocol, NULL, nearest), Optional.empty());
  }

  /**
   * The logs of an HTTP connection manager with an audit route: one line per request routed by
   * {@code route}, {@code protocol} {@code h2c} for HTTP/2 and {@code http} for HTTP/1.x (a CEL
   * filter each).
   *
   * @param path where Envoy writes it
   * @param route the name of the audit route
   * @param nearest the nearest entry's text, if any
   */
  static List<AccessLog> requests(String path, String route, Optional<String> nearest) {
    Value authority = Value.newBuilder().setStringValue("%REQ(:AUTHORITY)%").build();
    String onRoute = "xds.route_name == '" + route + "' && request.protocol ";
    return List.of(
        log(path, format("http", authority, nearest), Optional.of(onRoute + "!= '" + HTTP2 + "'")),
        log(path, format("h2c", authority, nearest), Optional.of(onRoute + "== '" + HTTP2 + "'")));
  }

  private static AccessLog log(String path, Struct format, Optional<String> expression) {
    FileAccessLog file =
        FileAccessLog.newBuilder()
            .setPath(path)
            .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(format))
            .build();
    AccessLog.Builder log =
        AccessLog.newBuilder().setName(EnvoyNames.FILE_ACCESS_LOG).setTypedConfig(Any.pack(file));
    expression.ifPresent(
        cel ->
            log.setFilter(
                AccessLogFilter.newBuilder()
                    .setExtensionFilter(
                        ExtensionFilter.newBuilder()
                            .setName(EnvoyNames.CEL_ACCESS_LOG_FILTER)
                            .setTypedConfig(
                                Any.pack(
                                    ExpressionFilter.newBuilder().setExpression(cel).build())))));
    return log.build();
  }

  private static Struct format(String protocol, Value authority, Optional<String> nearest) {
    return Struct.newBuilder()
        .putFields("time", text("%START_TIME%"))
        .putFields("verdict", text(VERDICT))
        .putFields("destination_address", text("%DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%"))
        .putFields("destination_port", text("%DOWNSTREAM_LOCAL_PORT%"))
        .putFields("sni", text("%REQUESTED_SERVER_NAME%"))
        .putFields("authority", authority)
        .putFields("protocol", text(protocol))
        .putFields("listener", text("%LISTENER_NAME%"))
        .putFields("chain", text("%FILTER_CHAIN_NAME%"))
        .putFields("source", text("%DOWNSTREAM_REMOTE_ADDRESS%"))
        .putFields("nearest_entry", nearest.map(AuditLogs::text).orElse(NULL))
        .build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
