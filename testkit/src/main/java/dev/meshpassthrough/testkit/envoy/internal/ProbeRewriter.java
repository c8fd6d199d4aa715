package dev.meshpassthrough.testkit.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import dev.meshpassthrough.testkit.internal.AuditLogModel;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites listeners and clusters into a probe configuration. These are the only changes:
 *
 * <ol>
 *   <li>{@code envoy.filters.listener.proxy_protocol} takes the place of {@code original_dst},
 *       first in the listener-filter list, on every listener that binds and restores the original
 *       destination ({@code original_dst} listed, or {@code use_original_dst}); a listener that
 *       does not bind ({@code bind_to_port: false}, reached by hand-off) loses its {@code
 *       original_dst}, since the address is already restored when the connection arrives.
 *   <li>Every cluster becomes a {@code STATIC} cluster of the same name whose only endpoint is the
 *       harness's loopback sink.
 *   <li>Listeners that bind are bound to {@code 127.0.0.1} on an ephemeral port that stays the
 *       listener's for the life of the Envoy (additional addresses, {@code transparent} and {@code
 *       freebind} dropped). Port 0 would not do: Envoy hands an updated listener the socket of a
 *       listener with the same configured address, so two listeners configured with {@code
 *       127.0.0.1:0} would end up sharing one port.
 *   <li>Access logs are added: on the listener (also for connections no chain takes), on every
 *       {@code tcp_proxy} and on every HTTP connection manager, as JSON lines in one file.
 *   <li>{@code listener_filters_timeout} longer than the probe's (15 s when unset) is shortened to
 *       it, where a listener filter may wait for the client.
 * </ol>
 *
 * <p>Refuses (with {@link RealEnvoyException}) what it cannot run safely: HCMs with RDS or scoped
 * routes, and any result with a cluster that is not a loopback {@code STATIC} cluster or with a
 * dynamic forward proxy filter. In pinning mode ({@link PinningRewrite}) clusters keep their type
 * instead of becoming the sink, and {@link PinningRewrite} says what it refuses.
 */
public final class ProbeRewriter {
  static final String PROXY_PROTOCOL = "envoy.filters.listener.proxy_protocol";
  private static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
  private static final String ORIGINAL_DST_TYPE =
      "type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst";
  private static final String TCP_PROXY_TYPE =
      "type.googleapis.com/" + TcpProxy.getDescriptor().getFullName();
  private static final String HCM_TYPE =
      "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
  private static final Duration DEFAULT_LISTENER_FILTERS_TIMEOUT = Duration.ofSeconds(15);

  private final int sinkPort;
  private final java.util.function.ToIntFunction<String> portOf;
  private final Path accessLog;
  private final Duration probeTimeout;
  private final Optional<PinningRewrite> pinning;

  /**
   * A rewriter whose clusters lead to {@code 127.0.0.1:sinkPort}, whose logs go to {@code
   * accessLog}, and whose listener named N binds to {@code 127.0.0.1:portOf(N)}.
   */
  public ProbeRewriter(
      int sinkPort,
      Path accessLog,
      Duration probeTimeout,
      java.util.function.ToIntFunction<String> portOf) {
    this(sinkPort, accessLog, probeTimeout, portOf, Optional.empty());
  }

  /**
   * A rewriter as above, or, with {@code pinning}, one that keeps the clusters' types and sends
   * every DNS lookup to the test's responder (see {@link PinningRewrite}).
   */
  public ProbeRewriter(
      int sinkPort,
      Path accessLog,
      Duration probeTimeout,
      java.util.function.ToIntFunction<String> portOf,
      Optional<PinningRewrite> pinning) {
    this.pinning = pinning;
    this.sinkPort = sinkPort;
    this.portOf = portOf;
    this.accessLog = accessLog;
    this.probeTimeout = probeTimeout;
  }

  /** The probe configuration of the given resources. */
  public ProbePlan rewrite(
      int generation, Collection<Listener> listeners, Collection<Cluster> clusters) {
    List<Listener> probeListeners = new ArrayList<>();
    Map<String, ProbePlan.ListenerInfo> info = new LinkedHashMap<>();
    int index = 0;
    for (Listener listener : listeners) {
      String tag = "L" + index++;
      ProbePlan.ListenerInfo listenerInfo = describe(tag, listener);
      info.put(tag, listenerInfo);
      Listener probe = rewrite(tag, generation, listener, listenerInfo);
      probeListeners.add(pinning.isPresent() ? pinning.get().listener(probe) : probe);
    }
    List<Cluster> probeClusters = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (Cluster cluster : clusters) {
      types.putIfAbsent(
          cluster.getName(),
          cluster.hasClusterType() ? cluster.getClusterType().getName() : cluster.getType().name());
      probeClusters.add(
          pinning.isPresent() ? pinning.get().cluster(cluster) : sink(cluster.getName()));
    }
    if (pinning.isPresent()) {
      PinningRewrite.requireConsistentCaches(probeListeners, probeClusters);
    } else {
      requireLoopbackOnly(probeClusters);
      requireNoDynamicForwardProxy(probeListeners);
    }
    return new ProbePlan(generation, probeListeners, probeClusters, info, types);
  }

  /**
   * Refuses clusters that could send a byte beyond loopback: anything but {@code STATIC} with
   * loopback endpoints only (no {@code ORIGINAL_DST}, no DNS, no EDS, no custom cluster type).
   *
   * @throws RealEnvoyException naming the first such cluster
   */
  public static void requireLoopbackOnly(Collection<Cluster> clusters) {
    for (Cluster cluster : clusters) {
      boolean staticType =
          !cluster.hasClusterType() && cluster.getType() == Cluster.DiscoveryType.STATIC;
      boolean loopback =
          cluster.getLoadAssignment().getEndpointsList().stream()
              .flatMap(l -> l.getLbEndpointsList().stream())
              .map(e -> e.getEndpoint().getAddress())
              .allMatch(ProbeRewriter::isLoopback);
      if (!staticType || !loopback || cluster.getHealthChecksCount() > 0) {
        throw new RealEnvoyException(
            "the probe refuses cluster "
                + cluster.getName()
                + ": only STATIC clusters with loopback endpoints and no health checks may be loaded (no byte may leave 127.0.0.1)");
      }
    }
  }

  /**
   * Refuses dynamic forward proxy filters: they resolve names themselves, whatever cluster follows
   * them, and only the pinning probe points their lookups at the test's own DNS responder.
   *
   * @throws RealEnvoyException naming the first such filter
   */
  static void requireNoDynamicForwardProxy(Collection<Listener> listeners) {
    for (Listener listener : listeners) {
      List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
      if (listener.hasDefaultFilterChain()) {
        chains.add(listener.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        if (!PinningRewrite.caches(chain).isEmpty()) {
          throw new RealEnvoyException(
              "the probe refuses chain "
                  + chain.getName()
                  + " of listener "
                  + listener.getName()
                  + ": a dynamic forward proxy resolves names with the system's DNS; start the Envoy"
                  + " with RealEnvoy.startPinning to judge it");
        }
      }
    }
  }

  private static boolean isLoopback(Address address) {
    if (!address.hasSocketAddress()) {
      return false;
    }
    String ip = address.getSocketAddress().getAddress();
    return IpLiteral.parse(ip)
        .filter(l -> !l.zoneId())
        .map(l -> l.address().isLoopbackAddress())
        .orElse(false);
  }

  private Cluster sink(String name) {
    SocketAddress socket =
        SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(sinkPort).build();
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(
                            LbEndpoint.newBuilder()
                                .setEndpoint(
                                    Endpoint.newBuilder()
                                        .setAddress(
                                            Address.newBuilder().setSocketAddress(socket))))))
        .build();
  }

  private ProbePlan.ListenerInfo describe(String tag, Listener listener) {
    Optional<InetAddress> address = Optional.empty();
    int port = 0;
    if (listener.getAddress().hasSocketAddress()) {
      SocketAddress socket = listener.getAddress().getSocketAddress();
      Optional<IpLiteral> literal = IpLiteral.parse(socket.getAddress()).filter(l -> !l.zoneId());
      if (literal.isPresent()) {
        address = Optional.of(literal.get().address());
      }
      port = socket.getPortValue();
    }
    boolean bind = !listener.hasBindToPort() || listener.getBindToPort().getValue();
    boolean inspectors =
        listener.getListenerFiltersList().stream()
            .anyMatch(f -> !isOriginalDst(f) && !f.getName().equals(PROXY_PROTOCOL));
    Duration timeout =
        listener.hasListenerFiltersTimeout()
            ? Duration.ofSeconds(
                listener.getListenerFiltersTimeout().getSeconds(),
                listener.getListenerFiltersTimeout().getNanos())
            : DEFAULT_LISTENER_FILTERS_TIMEOUT;
    Map<String, String> terminals = new LinkedHashMap<>();
    List<String> unnamed = new ArrayList<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      FilterChain chain = listener.getFilterChains(i);
      String label = chain.getName().isEmpty() ? "#" + i : chain.getName();
      if (chain.getName().isEmpty()) {
        unnamed.add(label);
      }
      terminals.put(label, terminal(chain));
    }
    if (listener.hasDefaultFilterChain()) {
      FilterChain chain = listener.getDefaultFilterChain();
      String label = chain.getName().isEmpty() ? "default_filter_chain" : chain.getName();
      if (chain.getName().isEmpty()) {
        unnamed.add(label);
      }
      terminals.put(label, terminal(chain));
    }
    return new ProbePlan.ListenerInfo(
        tag,
        listener.getName(),
        address,
        port,
        listener.getTrafficDirection().name(),
        bind,
        listener.getUseOriginalDst().getValue(),
        inspectors,
        timeout,
        listener.getContinueOnListenerFiltersTimeout(),
        terminals,
        unnamed.size() == 1 ? Optional.of(unnamed.get(0)) : Optional.empty());
  }

  private static String terminal(FilterChain chain) {
    for (Filter filter : chain.getFiltersList()) {
      String type = filter.hasTypedConfig() ? filter.getTypedConfig().getTypeUrl() : "";
      if (type.equals(TCP_PROXY_TYPE)
          || (type.isEmpty() && filter.getName().equals("envoy.filters.network.tcp_proxy"))) {
        return "tcp_proxy";
      }
      if (type.equals(HCM_TYPE)
          || (type.isEmpty()
              && filter.getName().equals("envoy.filters.network.http_connection_manager"))) {
        return "http";
      }
    }
    return "other";
  }

  private Listener rewrite(
      String tag, int generation, Listener listener, ProbePlan.ListenerInfo info) {
    Listener.Builder builder = listener.toBuilder();
    boolean restores =
        info.useOriginalDst()
            || listener.getListenerFiltersList().stream().anyMatch(ProbeRewriter::isOriginalDst);
    builder.clearListenerFilters();
    if (info.bindToPort() && restores) {
      builder.addListenerFilters(
          ListenerFilter.newBuilder()
              .setName(PROXY_PROTOCOL)
              .setTypedConfig(Any.pack(ProxyProtocol.getDefaultInstance())));
    }
    listener.getListenerFiltersList().stream()
        .filter(f -> !isOriginalDst(f))
        .forEach(builder::addListenerFilters);
    if (info.bindToPort()) {
      builder.setAddress(
          Address.newBuilder()
              .setSocketAddress(
                  SocketAddress.newBuilder()
                      .setAddress("127.0.0.1")
                      .setPortValue(portOf.applyAsInt(listener.getName()))));
      builder.clearAdditionalAddresses();
      builder.clearTransparent();
      builder.clearFreebind();
    }
    if (info.inspectors()
        && !info.listenerFiltersTimeout().isZero()
        && info.listenerFiltersTimeout().compareTo(probeTimeout) > 0) {
      builder.setListenerFiltersTimeout(
          com.google.protobuf.Duration.newBuilder()
              .setSeconds(probeTimeout.getSeconds())
              .setNanos(probeTimeout.getNano()));
    }
    builder.addAccessLog(accessLog("listener", tag, generation));
    for (int i = 0; i < builder.getFilterChainsCount(); i++) {
      builder.setFilterChains(i, withAccessLogs(builder.getFilterChains(i), tag, generation));
    }
    if (builder.hasDefaultFilterChain()) {
      builder.setDefaultFilterChain(
          withAccessLogs(builder.getDefaultFilterChain(), tag, generation));
    }
    return builder.build();
  }

  private FilterChain withAccessLogs(FilterChain chain, String tag, int generation) {
    FilterChain.Builder builder = chain.toBuilder();
    for (int i = 0; i < builder.getFiltersCount(); i++) {
      Filter filter = builder.getFilters(i);
      if (!filter.hasTypedConfig()) {
        continue;
      }
      Any config = filter.getTypedConfig();
      try {
        if (config.getTypeUrl().equals(TCP_PROXY_TYPE)) {
          TcpProxy written = config.unpack(TcpProxy.class);
          TcpProxy proxy =
              written.toBuilder()
                  .clearAccessLog()
                  .addAllAccessLog(auditLogsHere(written.getAccessLogList(), generation))
                  .addAccessLog(accessLog("tcp_proxy", tag, generation))
                  .build();
          builder.setFilters(i, filter.toBuilder().setTypedConfig(Any.pack(proxy)));
        } else if (config.getTypeUrl().equals(HCM_TYPE)) {
          HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
          if (hcm.hasRds() || hcm.hasScopedRoutes()) {
            throw new RealEnvoyException(
                "the probe cannot run an HTTP connection manager with RDS or scoped routes (chain "
                    + chain.getName()
                    + "): give it an inline route_config");
          }
          builder.setFilters(
              i,
              filter.toBuilder()
                  .setTypedConfig(
                      Any.pack(
                          hcm.toBuilder()
                              .clearAccessLog()
                              .addAllAccessLog(auditLogsHere(hcm.getAccessLogList(), generation))
                              .addAccessLog(accessLog("http", tag, generation))
                              .build())));
        }
      } catch (InvalidProtocolBufferException e) {
        // Left as written: Envoy will say what is wrong with it.
      }
    }
    return builder.build();
  }

  /**
   * The access logs of a tcp_proxy or HTTP connection manager with each audit log ({@link
   * AuditLogModel#isWouldDenyLog}) written into the harness's log instead of its own path, tagged
   * {@code "kind": "audit"} and with the generation; the other logs as they are. They stay before
   * the harness's own entry, which Envoy writes after them into the same file: once that entry is
   * read, the audit line is too.
   */
  private List<AccessLog> auditLogsHere(List<AccessLog> logs, int generation)
      throws InvalidProtocolBufferException {
    List<AccessLog> rewritten = new ArrayList<>();
    for (AccessLog log : logs) {
      if (!AuditLogModel.isWouldDenyLog(log)) {
        rewritten.add(log);
        continue;
      }
      FileAccessLog file = log.getTypedConfig().unpack(FileAccessLog.class);
      Struct format =
          file.getLogFormat().getJsonFormat().toBuilder()
              .putFields("kind", text("audit"))
              .putFields("generation", text(Integer.toString(generation)))
              .build();
      FileAccessLog here =
          file.toBuilder()
              .setPath(accessLog.toString())
              .setLogFormat(file.getLogFormat().toBuilder().setJsonFormat(format))
              .build();
      rewritten.add(log.toBuilder().setTypedConfig(Any.pack(here)).build());
    }
    return rewritten;
  }

  private AccessLog accessLog(String kind, String tag, int generation) {
    Struct.Builder format =
        Struct.newBuilder()
            .putFields("kind", text(kind))
            .putFields("generation", text(Integer.toString(generation)))
            .putFields("listener", text(tag))
            .putFields("remote", text("%DOWNSTREAM_REMOTE_ADDRESS%"))
            .putFields("local", text("%DOWNSTREAM_LOCAL_ADDRESS%"))
            .putFields("chain", text("%FILTER_CHAIN_NAME%"))
            .putFields("cluster", text("%UPSTREAM_CLUSTER_RAW%"))
            .putFields("code", text("%RESPONSE_CODE%"))
            .putFields("flags", text("%RESPONSE_FLAGS%"))
            .putFields("details", text("%RESPONSE_CODE_DETAILS%"))
            .putFields("route", text("%ROUTE_NAME%"))
            .putFields("host", text("%REQ(:AUTHORITY)%"))
            .putFields("upstream_host", text("%UPSTREAM_HOST%"))
            .putFields("upstream_local", text("%UPSTREAM_LOCAL_ADDRESS%"));
    FileAccessLog file =
        FileAccessLog.newBuilder()
            .setPath(accessLog.toString())
            .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(format))
            .build();
    return AccessLog.newBuilder()
        .setName("envoy.access_loggers.file")
        .setTypedConfig(Any.pack(file))
        .build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static boolean isOriginalDst(ListenerFilter filter) {
    return filter.hasTypedConfig()
        ? filter.getTypedConfig().getTypeUrl().equals(ORIGINAL_DST_TYPE)
        : filter.getName().equals(ORIGINAL_DST);
  }
}
