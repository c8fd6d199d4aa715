package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.internal.ForwardState.FilterStateValue;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue.KeyCase;
import java.util.List;
import java.util.Optional;

/**
 * The {@code set_filter_state} filters (network {@code on_new_connection}, HTTP {@code
 * on_request_headers}): each value is a format string Envoy evaluates. Two are simulated, {@code
 * %DOWNSTREAM_LOCAL_PORT%} (the local port, the dialed one after {@code original_dst}) and, in HTTP
 * only, {@code %REQ(:AUTHORITY)%} (the Host after the connection manager's port stripping); any
 * other value is stored as unknown, so that whatever reads it says it cannot tell.
 */
final class FilterStateFilters {
  static final String NETWORK = "envoy.filters.network.set_filter_state";
  static final String HTTP = "envoy.filters.http.set_filter_state";
  static final String NETWORK_TYPE =
      "type.googleapis.com/"
          + io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config
              .getDescriptor()
              .getFullName();
  static final String HTTP_TYPE =
      "type.googleapis.com/"
          + io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.getDescriptor()
              .getFullName();

  private static final String LOCAL_PORT = "%DOWNSTREAM_LOCAL_PORT%";
  private static final String AUTHORITY = "%REQ(:AUTHORITY)%";

  /** Where the filter runs. */
  enum Context {
    /** A network filter, when the connection is accepted: no request yet. */
    CONNECTION,
    /** An HTTP filter, on the request headers. */
    REQUEST
  }

  private FilterStateFilters() {}

  /** Evaluates {@code values} in order into the run's filter state. */
  static void apply(
      List<io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue>
          values,
      Context context,
      ConnectionFacts facts,
      SimulationRun run) {
    String filter = context == Context.CONNECTION ? NETWORK : HTTP;
    if (values.isEmpty()) {
      run.trace.add(Stage.NETWORK_FILTER, filter + ": sets nothing");
    }
    for (var value : values) {
      if (value.getKeyCase() != KeyCase.OBJECT_KEY) {
        run.trace.add(Stage.NETWORK_FILTER, filter + ": a value without object_key is skipped");
        continue;
      }
      String key = value.getObjectKey();
      Optional<String> format = formatText(value.getFormatString());
      Optional<String> text = format.flatMap(f -> evaluate(f, context, facts, run));
      String source = format.orElse("(a format that is not a text format)");
      run.forward.set(key, new FilterStateValue(text, source));
      run.trace.add(
          Stage.NETWORK_FILTER,
          filter
              + ": "
              + key
              + " = "
              + text.map(t -> "'" + t + "'")
                  .orElse("unknown (" + source + " is not simulated in this filter)")
              + (text.isPresent() ? " from " + source : ""));
    }
  }

  private static Optional<String> formatText(SubstitutionFormatString format) {
    return switch (format.getFormatCase()) {
      case TEXT_FORMAT -> Optional.of(format.getTextFormat());
      case TEXT_FORMAT_SOURCE ->
          format.getTextFormatSource().hasInlineString()
              ? Optional.of(format.getTextFormatSource().getInlineString())
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static Optional<String> evaluate(
      String format, Context context, ConnectionFacts facts, SimulationRun run) {
    if (format.equals(LOCAL_PORT)) {
      return Optional.of(Integer.toString(facts.localPort()));
    }
    if (format.equals(AUTHORITY) && context == Context.REQUEST) {
      return run.forward.requestHost;
    }
    return Optional.empty();
  }
}
