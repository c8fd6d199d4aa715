package dev.meshpassthrough.testkit.internal;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What the filters before the cluster leave for a dynamic forward proxy: the filter state the
 * {@code set_filter_state} filters wrote, and which dynamic forward proxy filter ran with what
 * settings. Mutable, owned by one {@link SimulationRun}.
 */
final class ForwardState {
  /** The filter-state key of the host a dynamic forward proxy resolves. */
  static final String DYNAMIC_HOST = "envoy.upstream.dynamic_host";

  /** The filter-state key of the port a dynamic forward proxy connects to. */
  static final String DYNAMIC_PORT = "envoy.upstream.dynamic_port";

  private final TreeMap<String, FilterStateValue> filterState = new TreeMap<>();

  /**
   * The {@code port_value} of the {@code sni_dynamic_forward_proxy} filter that ran (0 when unset);
   * empty when none ran.
   */
  OptionalInt sniProxyPort = OptionalInt.empty();

  /** The HTTP {@code dynamic_forward_proxy} filter that ran, if one did. */
  Optional<HttpForwardProxy> httpProxy = Optional.empty();

  /** The request's Host after the HTTP connection manager's port stripping, for HTTP requests. */
  Optional<String> requestHost = Optional.empty();

  void set(String key, FilterStateValue value) {
    filterState.put(key, value);
  }

  Optional<FilterStateValue> get(String key) {
    return Optional.ofNullable(filterState.get(key));
  }

  /**
   * One filter-state value: the text Envoy stores, or empty when the simulator cannot compute it.
   *
   * @param text the value, when modelled
   * @param source the format string it came from, for the trace
   */
  record FilterStateValue(Optional<String> text, String source) {}

  /**
   * The settings of an HTTP {@code dynamic_forward_proxy} filter.
   *
   * @param hostFromFilterState whether {@code allow_dynamic_host_from_filter_state} is set: the
   *     filter then takes host and port from the filter state when present
   */
  record HttpForwardProxy(HostSource hostFromFilterState) {}

  /** Where the HTTP dynamic forward proxy filter takes the host from. */
  enum HostSource {
    /** The Host header only. */
    HOST_HEADER,
    /** The filter state when set, else the Host header. */
    FILTER_STATE_FIRST
  }
}
