package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.Upstream;
import dev.meshpassthrough.testkit.internal.ClusterCatalog.Carrier;
import dev.meshpassthrough.testkit.internal.ForwardState.FilterStateValue;
import dev.meshpassthrough.testkit.internal.ForwardState.HostSource;
import dev.meshpassthrough.testkit.internal.ForwardState.HttpForwardProxy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Envoy's dynamic forward proxy: the {@code sni_dynamic_forward_proxy} network filter and the HTTP
 * {@code dynamic_forward_proxy} filter choose a host and port, which the cluster of type {@code
 * envoy.clusters.dynamic_forward_proxy} resolves and connects to.
 *
 * <p>The host is the filter-state object {@code envoy.upstream.dynamic_host} when set (for HTTP
 * only with {@code allow_dynamic_host_from_filter_state}), else the SNI (TLS) or the Host after
 * port stripping (HTTP). The port is {@code envoy.upstream.dynamic_port} when set to 1-65535 (same
 * condition), else the SNI filter's {@code port_value} when not 0, else the Host's port, else 80.
 * Without a host the cluster has nothing to connect to: the connection is closed, the request gets
 * 503. Without the matching filter before it, or with a value the simulator could not compute, the
 * upstream is left unknown and the trace says why.
 */
final class DynamicForwardProxy {
  static final String CLUSTER_TYPE = "envoy.clusters.dynamic_forward_proxy";
  static final String SNI_FILTER = "envoy.filters.network.sni_dynamic_forward_proxy";
  static final String HTTP_FILTER = "envoy.filters.http.dynamic_forward_proxy";
  static final String SNI_FILTER_TYPE =
      "type.googleapis.com/"
          + io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
              .getDescriptor()
              .getFullName();
  static final String HTTP_FILTER_TYPE =
      "type.googleapis.com/" + FilterConfig.getDescriptor().getFullName();
  static final String TYPED_STRUCT_TYPE =
      "type.googleapis.com/" + com.github.xds.type.v3.TypedStruct.getDescriptor().getFullName();
  static final String UDPA_TYPED_STRUCT_TYPE =
      "type.googleapis.com/"
          + com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor().getFullName();

  private static final String FROM_FILTER_STATE = "allow_dynamic_host_from_filter_state";
  private static final int DEFAULT_HTTP_PORT = 80;

  private DynamicForwardProxy() {}

  /** The SNI filter ran: remembers its {@code port_value}. */
  static void sniFilter(
      io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
          config,
      SimulationRun run) {
    run.forward.sniProxyPort = OptionalInt.of(config.getPortValue());
    run.trace.add(
        Stage.NETWORK_FILTER,
        SNI_FILTER
            + ": resolves the SNI (or "
            + ForwardState.DYNAMIC_HOST
            + ") with DNS cache "
            + config.getDnsCacheConfig().getName()
            + (config.getPortValue() == 0 ? "" : ", default port " + config.getPortValue()));
  }

  /**
   * Whether {@code typedConfig} configures the HTTP filter, directly or in a {@code TypedStruct}.
   */
  static boolean isHttpFilter(Any typedConfig) {
    return httpConfig(typedConfig).isPresent();
  }

  /** The HTTP filter ran: remembers where it takes the host from. */
  static void httpFilter(Any typedConfig, SimulationRun run) {
    HostSource source = httpConfig(typedConfig).orElseThrow();
    run.forward.httpProxy = Optional.of(new HttpForwardProxy(source));
    run.trace.add(
        Stage.NETWORK_FILTER,
        "HTTP filter "
            + HTTP_FILTER
            + ": resolves "
            + (source == HostSource.FILTER_STATE_FIRST
                ? ForwardState.DYNAMIC_HOST + " when set, else the Host"
                : "the Host (" + FROM_FILTER_STATE + " unset)"));
  }

  private static Optional<HostSource> httpConfig(Any typedConfig) {
    String type = EnvoyTypes.kind(Optional.of(typedConfig), "");
    if (type.equals(HTTP_FILTER_TYPE)) {
      return Optional.of(HostSource.HOST_HEADER);
    }
    Optional<Struct> value = Optional.empty();
    if (type.equals(TYPED_STRUCT_TYPE)) {
      var typed =
          NetworkFilterStage.unpack(
              typedConfig, com.github.xds.type.v3.TypedStruct.class, HTTP_FILTER);
      value =
          typed.getTypeUrl().endsWith("/" + FilterConfig.getDescriptor().getFullName())
              ? Optional.of(typed.getValue())
              : Optional.empty();
    } else if (type.equals(UDPA_TYPED_STRUCT_TYPE)) {
      var typed =
          NetworkFilterStage.unpack(
              typedConfig, com.github.udpa.udpa.type.v1.TypedStruct.class, HTTP_FILTER);
      value =
          typed.getTypeUrl().endsWith("/" + FilterConfig.getDescriptor().getFullName())
              ? Optional.of(typed.getValue())
              : Optional.empty();
    }
    return value.map(
        struct -> {
          Value flag = struct.getFieldsOrDefault(FROM_FILTER_STATE, Value.getDefaultInstance());
          return flag.hasBoolValue() && flag.getBoolValue()
              ? HostSource.FILTER_STATE_FIRST
              : HostSource.HOST_HEADER;
        });
  }

  /** Ends the run at the dynamic forward proxy cluster {@code name}. */
  static <T> Optional<T> send(
      String name, Cluster cluster, ConnectionFacts facts, SimulationRun run, Carrier carrier) {
    ForwardState state = run.forward;
    boolean filterRan =
        carrier == Carrier.CONNECTION
            ? state.sniProxyPort.isPresent()
            : state.httpProxy.isPresent();
    String label = "cluster " + name + " (" + CLUSTER_TYPE + ")";
    if (!filterRan) {
      run.trace.add(
          Stage.CLUSTER,
          label
              + ": no "
              + (carrier == Carrier.CONNECTION ? SNI_FILTER : HTTP_FILTER)
              + " ran before it; whether Envoy resolves a host in the cluster alone is not"
              + " simulated: the upstream is unknown");
      return run.stop(Outcome.FORWARDED, "forwarded to " + label + ", upstream unknown");
    }
    boolean stateCounts =
        carrier == Carrier.CONNECTION
            || state.httpProxy.get().hostFromFilterState() == HostSource.FILTER_STATE_FIRST;
    Optional<FilterStateValue> hostState =
        stateCounts ? state.get(ForwardState.DYNAMIC_HOST) : Optional.empty();
    Optional<FilterStateValue> portState =
        stateCounts ? state.get(ForwardState.DYNAMIC_PORT) : Optional.empty();
    Optional<FilterStateValue> unknown =
        hostState
            .filter(v -> v.text().isEmpty())
            .or(() -> portState.filter(v -> v.text().isEmpty()));
    if (unknown.isPresent()) {
      run.trace.add(
          Stage.CLUSTER,
          label
              + ": takes its host or port from filter state set by "
              + unknown.get().source()
              + ", which is not simulated: the upstream is unknown");
      return run.stop(Outcome.FORWARDED, "forwarded to " + label + ", upstream unknown");
    }
    String host =
        hostState
            .flatMap(FilterStateValue::text)
            .orElse(
                carrier == Carrier.CONNECTION
                    ? facts.serverName()
                    : state.requestHost.map(HttpStage::withoutPort).orElse(""));
    if (host.isEmpty()) {
      run.trace.add(
          Stage.CLUSTER,
          label
              + ": "
              + (carrier == Carrier.CONNECTION ? "no SNI" : "no Host")
              + " and no "
              + ForwardState.DYNAMIC_HOST
              + ": the dynamic forward proxy has no host to connect to");
      if (carrier == Carrier.HTTP_REQUEST) {
        run.httpStatus = OptionalInt.of(ClusterCatalog.SERVICE_UNAVAILABLE);
        return run.stop(Outcome.NO_UPSTREAM_HOST, "503: " + label + " has no host for the request");
      }
      return run.stop(
          Outcome.NO_UPSTREAM_HOST, "closed: " + label + " has no host for the connection");
    }
    if (hostState.isPresent() && !HttpStage.withoutPort(host).equals(host)) {
      run.trace.add(
          Stage.CLUSTER,
          label
              + ": "
              + ForwardState.DYNAMIC_HOST
              + " '"
              + host
              + "' carries a port; how Envoy splits it is not simulated: the upstream is unknown");
      return run.stop(Outcome.FORWARDED, "forwarded to " + label + ", upstream unknown");
    }
    int port = port(portState, carrier, state);
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (InetAddresses.isInetAddress(bare)) {
      Upstream literal = new Upstream(Upstream.Kind.ENDPOINT, bare, port);
      run.upstream = Optional.of(literal);
      run.trace.add(
          Stage.CLUSTER,
          label
              + ": the host '"
              + host
              + "' is an IP literal, which the DNS cache takes as it is: no DNS name pins it,"
              + " it connects to "
              + literal);
      return run.stop(
          Outcome.FORWARDED, "forwarded to IP literal " + literal + " through " + label);
    }
    Upstream upstream = Upstream.dnsName(host, port);
    run.upstream = Optional.of(upstream);
    run.trace.add(
        Stage.CLUSTER, label + ": resolves " + upstream.host() + " and connects to " + upstream);
    return run.stop(Outcome.FORWARDED, "forwarded to " + upstream + " through " + label);
  }

  private static int port(
      Optional<FilterStateValue> portState, Carrier carrier, ForwardState state) {
    Optional<Integer> fromState =
        portState.flatMap(FilterStateValue::text).flatMap(DynamicForwardProxy::parsePort);
    if (fromState.isPresent()) {
      return fromState.get();
    }
    if (carrier == Carrier.CONNECTION && state.sniProxyPort.orElse(0) != 0) {
      return state.sniProxyPort.getAsInt();
    }
    if (carrier == Carrier.HTTP_REQUEST) {
      Optional<Integer> hostPort =
          state.requestHost.flatMap(
              h -> {
                String bare = HttpStage.withoutPort(h);
                return bare.length() == h.length()
                    ? Optional.empty()
                    : parsePort(h.substring(bare.length() + 1));
              });
      if (hostPort.isPresent()) {
        return hostPort.get();
      }
    }
    return DEFAULT_HTTP_PORT;
  }

  private static Optional<Integer> parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      return port >= 1 && port <= 65_535 ? Optional.of(port) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
