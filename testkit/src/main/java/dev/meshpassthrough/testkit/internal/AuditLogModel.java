package dev.meshpassthrough.testkit.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an access log on the connection's path writes a would-deny line: a file access log whose
 * {@code json_format} has {@code "verdict": "would-deny"} (audit mode's log), without a filter or
 * with a CEL filter the simulator evaluates. A flagged decision is one such a log records.
 *
 * <p>CEL is evaluated for conjunctions ({@code &&}) of {@code xds.route_name == 'name'} and {@code
 * request.protocol == 'HTTP/2'} (or {@code !=}), the expressions audit mode writes; any other
 * expression or filter is not simulated, and the trace says so (the line counts as not written).
 */
public final class AuditLogModel {
  /** The verdict audit mode's log lines carry. */
  public static final String WOULD_DENY = "would-deny";

  private static final String FILE_ACCESS_LOG =
      "envoy.extensions.access_loggers.file.v3.FileAccessLog";
  private static final String CEL_FILTER =
      "envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter";
  private static final Pattern CLAUSE =
      Pattern.compile("\\s*(xds\\.route_name|request\\.protocol)\\s*(==|!=)\\s*'([^']*)'\\s*");

  private AuditLogModel() {}

  /**
   * Whether {@code logs} write a would-deny line for a connection (tcp_proxy: no route, no HTTP
   * protocol).
   */
  static boolean connection(List<AccessLog> logs, Tracer trace) {
    return writes(logs, Optional.empty(), Optional.empty(), trace);
  }

  /**
   * Whether {@code logs} write a would-deny line for a request routed by {@code route} over {@code
   * protocol} ({@code HTTP/1.1}, {@code HTTP/2}).
   */
  static boolean request(List<AccessLog> logs, String route, String protocol, Tracer trace) {
    return writes(logs, Optional.of(route), Optional.of(protocol), trace);
  }

  private static boolean writes(
      List<AccessLog> logs, Optional<String> route, Optional<String> protocol, Tracer trace) {
    for (AccessLog log : logs) {
      if (!isWouldDenyLog(log)) {
        continue;
      }
      if (!log.hasFilter()) {
        trace.add(Stage.NETWORK_FILTER, "audit log: writes a would-deny line");
        return true;
      }
      Optional<Boolean> passes = celFilter(log, route, protocol);
      if (passes.isEmpty()) {
        trace.add(
            Stage.NETWORK_FILTER,
            "audit log with a filter that is not simulated: assumed not to write");
      } else if (passes.get()) {
        trace.add(Stage.NETWORK_FILTER, "audit log: its filter passes, writes a would-deny line");
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code log} is an audit log: a file access log whose {@code json_format} writes {@code
   * "verdict": "would-deny"}.
   */
  public static boolean isWouldDenyLog(AccessLog log) {
    Any config = log.getTypedConfig();
    if (!config.getTypeUrl().endsWith("/" + FILE_ACCESS_LOG)) {
      return false;
    }
    try {
      FileAccessLog file = config.unpack(FileAccessLog.class);
      Value verdict =
          file.getLogFormat()
              .getJsonFormat()
              .getFieldsOrDefault("verdict", Value.getDefaultInstance());
      return verdict.getStringValue().equals(WOULD_DENY);
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /** The CEL filter's verdict, or empty when the filter is not one the simulator evaluates. */
  private static Optional<Boolean> celFilter(
      AccessLog log, Optional<String> route, Optional<String> protocol) {
    if (!log.getFilter().hasExtensionFilter()
        || !log.getFilter()
            .getExtensionFilter()
            .getTypedConfig()
            .getTypeUrl()
            .endsWith("/" + CEL_FILTER)) {
      return Optional.empty();
    }
    String expression;
    try {
      expression =
          log.getFilter()
              .getExtensionFilter()
              .getTypedConfig()
              .unpack(ExpressionFilter.class)
              .getExpression();
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
    boolean all = true;
    for (String clause : expression.split("&&", -1)) {
      Matcher m = CLAUSE.matcher(clause);
      if (!m.matches()) {
        return Optional.empty();
      }
      // A connection has no route and no request protocol: CEL sees them absent, and an
      // expression over absent attributes does not pass.
      Optional<String> actual = m.group(1).equals("xds.route_name") ? route : protocol;
      if (actual.isEmpty()) {
        return Optional.of(false);
      }
      boolean equal = actual.get().equals(m.group(3));
      all &= m.group(2).equals("==") == equal;
    }
    return Optional.of(all);
  }
}
