package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Connection.HttpVersion;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.internal.ClusterCatalog.Carrier;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The HTTP connection manager: the codec takes the request, HTTP/1.0 needs {@code accept_http_10}
 * (else 426), the Host picks a virtual host ({@link VirtualHostSelector}), the first matching route
 * decides: a cluster, or a response from Envoy itself. The request is {@code GET /}; route
 * conditions other than the path are not simulated and assumed to match.
 */
final class HttpStage {
  private static final String PATH = "/";
  private static final int BAD_REQUEST = 400;
  private static final int NOT_FOUND = 404;
  private static final int UPGRADE_REQUIRED = 426;

  private final ClusterCatalog clusters;

  HttpStage(ClusterCatalog clusters) {
    this.clusters = clusters;
  }

  /** Ends the run. */
  void run(HttpConnectionManager manager, ConnectionFacts facts, SimulationRun run) {
    run.trace.add(
        Stage.NETWORK_FILTER,
        EnvoyTypes.HTTP_CONNECTION_MANAGER + " (codec " + manager.getCodecType() + ")");
    Optional<Connection.HttpRequest> request = request(manager, facts, run);
    if (request.isEmpty()) {
      return;
    }
    Optional<String> host = host(manager, request.get(), facts, run);
    if (host.isEmpty()) {
      return;
    }
    run.forward.requestHost = host;
    if (!runFilters(manager.getHttpFiltersList(), facts, run)) {
      run.stop(Outcome.STALLED, "never answered: the HTTP connection manager has no router filter");
      return;
    }
    if (manager.getRouteSpecifierCase() != HttpConnectionManager.RouteSpecifierCase.ROUTE_CONFIG) {
      throw new UnsupportedOperationException(
          "routes from "
              + manager.getRouteSpecifierCase()
              + " are not simulated (only an inline route_config)");
    }
    RouteConfiguration routes = manager.getRouteConfig();
    String lookup = host.get();
    if (routes.getIgnorePortInHostMatching()) {
      lookup = withoutPort(lookup);
    }
    run.trace.enter();
    try {
      Optional<VirtualHost> virtualHost =
          VirtualHostSelector.select(routes.getVirtualHostsList(), lookup, run.trace);
      if (virtualHost.isEmpty()) {
        run.httpStatus = OptionalInt.of(NOT_FOUND);
        run.stop(
            Outcome.HTTP_RESPONSE,
            "404: no virtual host of route " + routes.getName() + " matches Host '" + lookup + "'");
        return;
      }
      run.virtualHost = Optional.of(virtualHost.get().getName());
      route(virtualHost.get(), manager, request.get(), facts, run);
    } finally {
      run.trace.leave();
    }
  }

  /** The request, or empty when the bytes are not something this codec reads. */
  private static Optional<Connection.HttpRequest> request(
      HttpConnectionManager manager, ConnectionFacts facts, SimulationRun run) {
    Connection.Payload payload = facts.connection().payload();
    if (payload instanceof Connection.ServerFirst) {
      return run.stop(
          Outcome.STALLED,
          "never answered: the HTTP connection manager waits for a request a server-first client never sends");
    }
    if (!(payload instanceof Connection.HttpRequest request)) {
      return run.stop(
          Outcome.PROTOCOL_ERROR,
          "closed: the HTTP connection manager cannot parse " + payload + " as HTTP");
    }
    CodecType codec = manager.getCodecType();
    boolean h2c = request.version() == HttpVersion.H2C;
    if ((codec == CodecType.HTTP1 && h2c)
        || (codec == CodecType.HTTP2 && !h2c)
        || codec == CodecType.HTTP3) {
      return run.stop(
          Outcome.PROTOCOL_ERROR,
          "closed: codec " + codec + " cannot read " + request.version().wireName());
    }
    if (request.version() == HttpVersion.HTTP_1_0
        && !manager.getHttpProtocolOptions().getAcceptHttp10()) {
      run.httpStatus = OptionalInt.of(UPGRADE_REQUIRED);
      return run.stop(
          Outcome.HTTP_RESPONSE,
          "426 Upgrade Required: the HTTP connection manager refuses HTTP/1.0 "
              + "without http_protocol_options.accept_http_10");
    }
    return Optional.of(request);
  }

  /** The Host used for routing, after the HCM's port stripping; empty when the run ended (400). */
  private static Optional<String> host(
      HttpConnectionManager manager,
      Connection.HttpRequest request,
      ConnectionFacts facts,
      SimulationRun run) {
    Optional<String> host = request.host();
    String defaultHost = manager.getHttpProtocolOptions().getDefaultHostForHttp10();
    // Envoy fills in only a configured default host; without one an HTTP/1.0 request without Host
    // is a 400 too.
    if (host.isEmpty() && request.version() == HttpVersion.HTTP_1_0 && !defaultHost.isEmpty()) {
      host = Optional.of(defaultHost);
    }
    if (host.isEmpty() && request.version() == HttpVersion.H2C) {
      // Envoy 1.40 measured: the HTTP/2 codec resets such a stream (response flag DPE, details
      // http2.violation.of.messaging.rule) and closes the connection without a response.
      return run.stop(
          Outcome.PROTOCOL_ERROR,
          "closed: an h2c request without :authority violates HTTP/2 messaging rules");
    }
    if (host.isEmpty()) {
      // Envoy 1.40 measured: 400, details missing_host_header.
      run.httpStatus = OptionalInt.of(BAD_REQUEST);
      return run.stop(Outcome.HTTP_RESPONSE, "400: the request has no Host (missing_host_header)");
    }
    String value = host.get();
    boolean stripAny = manager.getStripAnyHostPort();
    boolean stripMatching =
        manager.getStripMatchingHostPort() && portOf(value).equals(Optional.of(facts.localPort()));
    if (stripAny || stripMatching) {
      run.trace.add(
          Stage.NETWORK_FILTER,
          (stripAny ? "strip_any_host_port" : "strip_matching_host_port")
              + ": Host '"
              + value
              + "' becomes '"
              + withoutPort(value)
              + "'");
      value = withoutPort(value);
    }
    return Optional.of(value);
  }

  /**
   * Runs the HTTP filters before the router: {@code set_filter_state} and the dynamic forward proxy
   * are simulated, others assumed to let the request through. Whether there is a router.
   */
  private static boolean runFilters(
      List<HttpFilter> filters, ConnectionFacts facts, SimulationRun run) {
    boolean router = false;
    for (HttpFilter filter : filters) {
      String kind =
          EnvoyTypes.kind(
              filter.hasTypedConfig() ? Optional.of(filter.getTypedConfig()) : Optional.empty(),
              filter.getName());
      if (kind.equals(EnvoyTypes.ROUTER_TYPE) || kind.equals(EnvoyTypes.ROUTER)) {
        router = true;
      } else if (kind.equals(FilterStateFilters.HTTP_TYPE)) {
        FilterStateFilters.apply(
            NetworkFilterStage.unpack(
                    filter.getTypedConfig(),
                    io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.class,
                    filter.getName())
                .getOnRequestHeadersList(),
            FilterStateFilters.Context.REQUEST,
            facts,
            run);
      } else if (filter.hasTypedConfig()
          && DynamicForwardProxy.isHttpFilter(filter.getTypedConfig())) {
        DynamicForwardProxy.httpFilter(filter.getTypedConfig(), run);
      } else {
        run.trace.add(
            Stage.NETWORK_FILTER,
            "HTTP filter "
                + filter.getName()
                + ": not simulated, assumed to let the request through");
      }
    }
    return router;
  }

  private void route(
      VirtualHost virtualHost,
      HttpConnectionManager manager,
      Connection.HttpRequest request,
      ConnectionFacts facts,
      SimulationRun run) {
    List<Route> routes = virtualHost.getRoutesList();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      if (!pathMatches(route.getMatch())) {
        continue;
      }
      String name = route.getName().isEmpty() ? "#" + i : route.getName();
      if (route.getMatch().getHeadersCount() > 0
          || route.getMatch().getQueryParametersCount() > 0
          || route.getMatch().hasGrpc()
          || route.getMatch().hasRuntimeFraction()
          || route.getMatch().getDynamicMetadataCount() > 0) {
        run.trace.add(
            Stage.ROUTE,
            "route " + name + ": conditions beyond the path are not simulated, assumed to match");
      }
      run.auditLogged =
          AuditLogModel.request(
              manager.getAccessLogList(),
              route.getName(),
              request.version() == Connection.HttpVersion.H2C ? "HTTP/2" : "HTTP/1.1",
              run.trace);
      action(name, route, facts, run);
      return;
    }
    run.trace.add(
        Stage.ROUTE, "no route of virtual host " + virtualHost.getName() + " matches path " + PATH);
    run.httpStatus = OptionalInt.of(NOT_FOUND);
    run.stop(
        Outcome.HTTP_RESPONSE,
        "404: no route of virtual host " + virtualHost.getName() + " matches");
  }

  private void action(String name, Route route, ConnectionFacts facts, SimulationRun run) {
    switch (route.getActionCase()) {
      case ROUTE -> {
        RouteAction action = route.getRoute();
        if (action.getClusterSpecifierCase() == RouteAction.ClusterSpecifierCase.CLUSTER) {
          run.trace.add(Stage.ROUTE, "route " + name + ": to cluster " + action.getCluster());
          clusters.sendTo(action.getCluster(), facts, run, Carrier.HTTP_REQUEST);
        } else if (action.getClusterSpecifierCase()
            == RouteAction.ClusterSpecifierCase.WEIGHTED_CLUSTERS) {
          List<String> names =
              action.getWeightedClusters().getClustersList().stream()
                  .filter(w -> !w.hasWeight() || w.getWeight().getValue() > 0)
                  .map(w -> w.getName())
                  .toList();
          run.trace.add(Stage.ROUTE, "route " + name + ": weighted clusters " + names);
          new NetworkFilterStage(clusters)
              .weightedTarget(names, run)
              .ifPresent(cluster -> clusters.sendTo(cluster, facts, run, Carrier.HTTP_REQUEST));
        } else {
          throw new UnsupportedOperationException(
              "route " + name + ": " + action.getClusterSpecifierCase() + " is not simulated");
        }
      }
      case DIRECT_RESPONSE -> {
        int status = route.getDirectResponse().getStatus();
        run.trace.add(Stage.ROUTE, "route " + name + ": direct response " + status);
        run.httpStatus = OptionalInt.of(status);
        run.stop(
            Outcome.HTTP_RESPONSE, status + ": direct response of route " + name + bodyText(route));
      }
      case REDIRECT -> {
        int status = redirectStatus(route);
        run.trace.add(Stage.ROUTE, "route " + name + ": redirect " + status);
        run.httpStatus = OptionalInt.of(status);
        run.stop(Outcome.HTTP_RESPONSE, status + ": redirect by route " + name);
      }
      default ->
          throw new UnsupportedOperationException(
              "route " + name + ": action " + route.getActionCase() + " is not simulated");
    }
  }

  private static String bodyText(Route route) {
    String body = route.getDirectResponse().getBody().getInlineString().strip();
    return body.isEmpty() ? "" : " (\"" + body + "\")";
  }

  private static int redirectStatus(Route route) {
    return switch (route.getRedirect().getResponseCode()) {
      case FOUND -> 302;
      case SEE_OTHER -> 303;
      case TEMPORARY_REDIRECT -> 307;
      case PERMANENT_REDIRECT -> 308;
      default -> 301;
    };
  }

  private static boolean pathMatches(RouteMatch match) {
    return switch (match.getPathSpecifierCase()) {
      case PREFIX -> PATH.startsWith(match.getPrefix());
      case PATH -> PATH.equals(match.getPath());
      case SAFE_REGEX -> Pattern.compile(match.getSafeRegex().getRegex()).matcher(PATH).matches();
      case PATH_SEPARATED_PREFIX -> match.getPathSeparatedPrefix().equals(PATH);
      case CONNECT_MATCHER -> false;
      default ->
          throw new UnsupportedOperationException(
              "the route path specifier " + match.getPathSpecifierCase() + " is not simulated");
    };
  }

  /** The Host without its port; an IPv6 literal keeps its brackets. */
  static String withoutPort(String host) {
    int colon = host.lastIndexOf(':');
    int bracket = host.lastIndexOf(']');
    if (colon < 0 || colon < bracket || (bracket < 0 && host.indexOf(':') != colon)) {
      return host;
    }
    return host.substring(0, colon);
  }

  private static Optional<Integer> portOf(String host) {
    String bare = withoutPort(host);
    if (bare.length() == host.length()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(host.substring(bare.length() + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
