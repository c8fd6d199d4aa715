package dev.meshpassthrough.envoy.internal.exact;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.internal.AuditCluster;
import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.DynamicForwardProxy;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.TcpProxyFilter;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.InternalAddressConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes the chains of the exact profile's plan, and names the cluster of every entry they send
 * traffic to: where it goes depends on the domain pinning ({@link DomainUpstreams}); a chain whose
 * Domain entry is pinned dynamically gets the dynamic forward proxy's filters.
 *
 * <p>One per translation, not thread-safe: it keeps each entry's cluster, the virtual hosts of each
 * list of hosts (built and encoded once), which the planners share between every IP node of a port
 * and both listeners, so that they are built once rather than at every node, and the chains without
 * an IP node, which both listeners repeat.
 */
final class ExactChainFactory {
  /** A reserved name (RFC 2606), so no domain rule can match it. */
  static final String DEFAULT_HOST_FOR_HTTP_10 = "no-host.invalid";

  /**
   * HTTP/1.0 clients are HTTP clients too: without this Envoy answers them 426. A request without
   * Host gets a name no rule lists: 503, as no domain entry allows it.
   */
  private static final Http1ProtocolOptions HTTP1_OPTIONS =
      Http1ProtocolOptions.newBuilder()
          .setAcceptHttp10(true)
          .setDefaultHostForHttp10(DEFAULT_HOST_FOR_HTTP_10)
          .build();

  /**
   * Strings every chain of a kind repeats, as UTF-8 bytes: a field set from bytes is copied when
   * the chain is serialized (an xDS push, a printed document), one set from a {@code String} is
   * encoded again each time.
   */
  private static final ByteString HTTP_CONNECTION_MANAGER =
      ByteString.copyFromUtf8(EnvoyNames.HTTP_CONNECTION_MANAGER);

  private static final ByteString TRANSPORT_TLS = ByteString.copyFromUtf8(EnvoyNames.TRANSPORT_TLS);

  private static final ByteString TRANSPORT_RAW_BUFFER =
      ByteString.copyFromUtf8(EnvoyNames.TRANSPORT_RAW_BUFFER);

  private static final List<ByteString> HTTP_APPLICATION_PROTOCOLS =
      EnvoyNames.HTTP_APPLICATION_PROTOCOLS_WITH_1_0.stream()
          .map(ByteString::copyFromUtf8)
          .toList();

  private final Naming naming;
  private final InternalAddressConfig internalAddressConfig;
  private final Unmatched unmatched;
  private final DomainUpstreams upstreams;
  private final String auditLogPath;

  /**
   * The HTTP filters that go before the router when a virtual host is pinned dynamically: the same
   * for every chain of the translation, and built once, as building them prints the DNS cache as
   * JSON for the filter's TypedStruct.
   */
  private final List<HttpFilter> dynamicHttpFilters;

  /**
   * The cluster of each entry, by the entry's match instance: sized for every entry of the policy,
   * instead of growing (and rehashing) a dozen times on the way to thousands.
   */
  private final Map<Match, ClusterSpec> clusterOf;

  /** The virtual hosts of each list of hosts, by the list instance. */
  private final Map<List<ExactLeaf.Host>, HostRoutes> routesOf = new IdentityHashMap<>();

  /** The chains without an IP node written so far, which the other family's listener repeats. */
  private final Map<ExactPlanner.ChainPlan, Written> catchAllChains = new HashMap<>();

  /**
   * The virtual hosts of a list of hosts and their clusters.
   *
   * @param encoded the virtual hosts, one per host, in order, encoded once for every manager that
   *     carries them ({@link ManagerEncoding#forwardingHosts})
   * @param clusters their clusters, each once, sorted by name
   * @param dynamic whether a host's upstream is the dynamic forward proxy
   */
  private record HostRoutes(ByteString encoded, List<ClusterSpec> clusters, boolean dynamic) {}

  ExactChainFactory(
      Naming naming,
      List<CidrRange> internalAddresses,
      Unmatched unmatched,
      DomainUpstreams upstreams,
      String auditLogPath,
      int entries) {
    this.clusterOf = new IdentityHashMap<>(entries);
    this.naming = naming;
    this.unmatched = unmatched;
    this.upstreams = upstreams;
    this.auditLogPath = auditLogPath;
    this.dynamicHttpFilters =
        upstreams.pinning() == DomainPinning.DYNAMIC
            ? DynamicForwardProxy.httpFilters(upstreams.cache())
            : List.of();
    this.internalAddressConfig =
        InternalAddressConfig.newBuilder().addAllCidrRanges(internalAddresses).build();
  }

  /**
   * A chain of the plan.
   *
   * @param chain the filter chain
   * @param clusters the clusters it sends traffic to, each once, sorted by name
   */
  record Written(FilterChain chain, List<ClusterSpec> clusters) {}

  /**
   * The chain of {@code plan} on the passthrough listener of {@code family}.
   *
   * @param plan where the chain sits in Envoy's index and what it does
   * @param family the listener's address family, which audit clusters are per
   */
  Written write(ExactPlanner.ChainPlan plan, IpFamily family) {
    if (plan.node().isPresent() || !familyIndependent(plan.leaf())) {
      return writeFor(plan, family);
    }
    // Without an IP node, the chain is the same on both listeners: built, packed and named once.
    Written known = catchAllChains.get(plan);
    if (known == null) {
      known = writeFor(plan, family);
      catchAllChains.put(plan, known);
    }
    return known;
  }

  /**
   * Whether the chain of {@code leaf} does not depend on the listener's family: every leaf but
   * audit chains (their cluster is per family) and, under audit, HTTP chains (their last virtual
   * host sends to the audit cluster of the family).
   */
  private boolean familyIndependent(ExactLeaf.Leaf leaf) {
    if (leaf instanceof ExactLeaf.Audit) {
      return false;
    }
    return !(leaf instanceof ExactLeaf.Http) || unmatched == Unmatched.DENY;
  }

  private Written writeFor(ExactPlanner.ChainPlan plan, IpFamily family) {
    FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
    plan.port().ifPresent(port -> match.setDestinationPort(UInt32Value.of(port.value())));
    plan.node()
        .ifPresent(
            n ->
                match.addPrefixRanges(
                    PassthroughListeners.cidrRange(n.addressText(), n.prefixLength())));
    SortedMap<String, ClusterSpec> clusters = new TreeMap<>();
    ExactLeaf.Leaf leaf = plan.leaf();
    if (leaf instanceof ExactLeaf.Audit audit) {
      FilterChain chain = auditChain(plan, audit, family, match, clusters);
      return new Written(chain, List.copyOf(clusters.values()));
    }
    String name =
        naming.exactChainName(
            plan.port(), plan.node().map(Network::toString), leafName(plan.leaf()));
    FilterChain.Builder chain = FilterChain.newBuilder().setName(name);
    if (leaf instanceof ExactLeaf.AnyTraffic any) {
      return tcpProxyChain(chain, match, name, any.entry());
    } else if (leaf instanceof ExactLeaf.TlsServerName tls) {
      match.setTransportProtocolBytes(TRANSPORT_TLS).addServerNames(tls.serverName());
      Match entry = tls.entry().match();
      if (upstreams.kindOf(entry) == DomainUpstreams.Kind.DYNAMIC) {
        chain.addAllFilters(
            DynamicForwardProxy.tlsFilters(
                entry.port().map(Port::value).orElse(DynamicForwardProxy.TLS_FALLBACK_PORT),
                upstreams.cache()));
      }
      return tcpProxyChain(chain, match, name, tls.entry());
    } else if (leaf instanceof ExactLeaf.AnyTls tls) {
      match.setTransportProtocolBytes(TRANSPORT_TLS);
      return tcpProxyChain(chain, match, name, tls.entry());
    } else if (leaf instanceof ExactLeaf.AnyHttp http) {
      matchHttp(match);
      return tcpProxyChain(chain, match, name, http.entry());
    }
    matchHttp(match);
    List<ExactLeaf.Host> hosts = ((ExactLeaf.Http) leaf).hosts();
    chain.addFilters(
        httpConnectionManager(name, hosts, Optional.empty(), plan.port(), family, clusters));
    // The hosts' clusters as one shared list, which the translation collects once.
    return new Written(
        chain.setFilterChainMatch(match).build(), withClusters(routes(hosts).clusters(), clusters));
  }

  /**
   * An audit chain: matches the traffic of its kind below the node, forwards it to the dialed
   * address through the audit cluster of its port and family, and logs it.
   */
  private FilterChain auditChain(
      ExactPlanner.ChainPlan plan,
      ExactLeaf.Audit audit,
      IpFamily family,
      FilterChainMatch.Builder match,
      SortedMap<String, ClusterSpec> clusters) {
    ExactLeaf.AuditTraffic traffic = audit.traffic();
    String name =
        naming.auditChainName(
            plan.port(), plan.node().map(Network::toString), traffic.chainSuffix());
    FilterChain.Builder chain = FilterChain.newBuilder().setName(name);
    switch (traffic) {
      case TLS -> match.setTransportProtocolBytes(TRANSPORT_TLS);
      case HTTP -> matchHttp(match);
      case RAW -> match.setTransportProtocolBytes(TRANSPORT_RAW_BUFFER);
      case ANY -> {}
    }
    if (traffic == ExactLeaf.AuditTraffic.HTTP) {
      chain.addFilters(
          httpConnectionManager(name, List.of(), audit.nearest(), plan.port(), family, clusters));
    } else {
      AuditCluster cluster =
          new AuditCluster(naming.auditClusterName(plan.port(), family, false), false);
      clusters.put(cluster.name(), cluster);
      TcpProxy tcpProxy =
          TcpProxy.newBuilder()
              .setStatPrefix(Naming.statName(cluster.name()))
              .setCluster(cluster.name())
              .addAccessLog(
                  AuditLogs.connections(
                      auditLogPath, traffic.loggedProtocol(), audit.nearest().map(this::entryText)))
              .build();
      chain.addFilters(
          Filter.newBuilder().setName(EnvoyNames.TCP_PROXY).setTypedConfig(Any.pack(tcpProxy)));
    }
    return chain.setFilterChainMatch(match).build();
  }

  /** Plaintext HTTP as http_inspector tells it: raw buffer, with an HTTP ALPN value. */
  private static void matchHttp(FilterChainMatch.Builder match) {
    match.setTransportProtocolBytes(TRANSPORT_RAW_BUFFER);
    for (ByteString protocol : HTTP_APPLICATION_PROTOCOLS) {
      match.addApplicationProtocolsBytes(protocol);
    }
  }

  /** The chain, ending in a tcp_proxy to the cluster of {@code entry}, its only cluster. */
  private Written tcpProxyChain(
      FilterChain.Builder chain,
      FilterChainMatch.Builder match,
      String name,
      ExactLeaf.Entry entry) {
    ClusterSpec cluster = clusterOf(entry);
    chain.addFilters(tcpProxy(name, cluster.name()));
    return new Written(chain.setFilterChainMatch(match).build(), List.of(cluster));
  }

  /** {@code shared} with the clusters of {@code others}, sorted by name; {@code shared} if none. */
  private static List<ClusterSpec> withClusters(
      List<ClusterSpec> shared, SortedMap<String, ClusterSpec> others) {
    if (others.isEmpty()) {
      return shared;
    }
    SortedMap<String, ClusterSpec> all = new TreeMap<>(others);
    shared.forEach(spec -> all.putIfAbsent(spec.name(), spec));
    return List.copyOf(all.values());
  }

  /** How the audit log names an entry: {@code appendMatch[i] Domain api.example.com:443/tls}. */
  private String entryText(ExactLeaf.Entry entry) {
    return "appendMatch[" + entry.index() + "] " + entry.match();
  }

  /** The cluster of {@code entry}, built once per entry. */
  private ClusterSpec clusterOf(ExactLeaf.Entry entry) {
    return clusterOf.computeIfAbsent(entry.match(), upstreams::cluster);
  }

  private String cluster(ExactLeaf.Entry entry, SortedMap<String, ClusterSpec> clusters) {
    ClusterSpec cluster = clusterOf(entry);
    clusters.put(cluster.name(), cluster);
    return cluster.name();
  }

  private HostRoutes routes(List<ExactLeaf.Host> hosts) {
    HostRoutes routes = routesOf.get(hosts);
    if (routes == null) {
      SortedMap<String, ClusterSpec> clusters = new TreeMap<>();
      List<String> domains = new ArrayList<>(hosts.size());
      List<String> hostClusters = new ArrayList<>(hosts.size());
      for (ExactLeaf.Host host : hosts) {
        domains.add(host.domain());
        hostClusters.add(cluster(host.entry(), clusters));
      }
      routes =
          new HostRoutes(
              ManagerEncoding.forwardingHosts(domains, hostClusters),
              List.copyOf(clusters.values()),
              hosts.stream()
                  .anyMatch(
                      host ->
                          upstreams.kindOf(host.entry().match()) == DomainUpstreams.Kind.DYNAMIC));
      routesOf.put(hosts, routes);
    }
    return routes;
  }

  private static String leafName(ExactLeaf.Leaf leaf) {
    if (leaf instanceof ExactLeaf.AnyTraffic) {
      return "any";
    } else if (leaf instanceof ExactLeaf.TlsServerName tls) {
      return "tls_" + tls.serverName();
    } else if (leaf instanceof ExactLeaf.AnyTls) {
      return "tls";
    }
    return "http";
  }

  private static Filter tcpProxy(String chainName, String cluster) {
    return TcpProxyFilter.of(Naming.statName(chainName), cluster);
  }

  /**
   * The HTTP connection manager of a chain that routes by Host: a virtual host per entry of {@code
   * hosts}, then the last one {@link Unmatched} decides (under audit the audit one, whose requests
   * the manager's audit log takes, naming {@code nearest}, else the first of {@code hosts}).
   * Without hosts, an audit chain's manager. Only the audit cluster goes into {@code clusters}: the
   * hosts' clusters are {@code routes(hosts).clusters()}.
   */
  private Filter httpConnectionManager(
      String chainName,
      List<ExactLeaf.Host> hosts,
      Optional<ExactLeaf.Entry> nearest,
      Optional<Port> port,
      IpFamily family,
      SortedMap<String, ClusterSpec> clusters) {
    HostRoutes hostRoutes = routes(hosts);
    List<AccessLog> auditLogs = new ArrayList<>();
    VirtualHost last =
        unmatched.lastVirtualHost(
            naming,
            () -> {
              AuditCluster cluster =
                  new AuditCluster(naming.auditClusterName(port, family, true), true);
              clusters.put(cluster.name(), cluster);
              // Only under audit: the translation's hot path does not pay for the hint.
              Optional<ExactLeaf.Entry> hint =
                  nearest.or(
                      () ->
                          hosts.stream()
                              .map(ExactLeaf.Host::entry)
                              .min(Comparator.comparingInt(ExactLeaf.Entry::index)));
              auditLogs.addAll(
                  AuditLogs.requests(
                      auditLogPath, naming.auditPrefix(), hint.map(this::entryText)));
              return VirtualHost.newBuilder()
                  .setName(naming.auditPrefix())
                  .addDomains("*")
                  .addRoutes(forwardTo(cluster.name()).toBuilder().setName(naming.auditPrefix()))
                  .build();
            });
    List<HttpFilter> filters = new ArrayList<>();
    if (hostRoutes.dynamic()) {
      filters.addAll(dynamicHttpFilters);
    }
    filters.add(EnvoyNames.ROUTER_FILTER);
    // The manager's fields after route_config; the stat prefix and route configuration are
    // written around them (ManagerEncoding), with the hosts' virtual hosts encoded once.
    HttpConnectionManager rest =
        HttpConnectionManager.newBuilder()
            // Policies name hosts without ports; a Host header may carry one.
            .setStripAnyHostPort(true)
            .setHttpProtocolOptions(HTTP1_OPTIONS)
            .addAllHttpFilters(filters)
            .setInternalAddressConfig(internalAddressConfig)
            .addAllAccessLog(auditLogs)
            .build();
    return Filter.newBuilder()
        .setNameBytes(HTTP_CONNECTION_MANAGER)
        .setTypedConfig(
            ManagerEncoding.pack(
                Naming.statName(chainName), chainName, hostRoutes.encoded(), last, rest))
        .build();
  }

  private static Route forwardTo(String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster))
        .build();
  }
}
