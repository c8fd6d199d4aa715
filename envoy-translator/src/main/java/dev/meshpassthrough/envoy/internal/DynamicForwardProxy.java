package dev.meshpassthrough.envoy.internal;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheCircuitBreakers;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.common.set_filter_state.v3.FilterStateValue;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig;
import java.util.List;

/**
 * The pieces of Envoy's dynamic forward proxy that pin a Domain entry to the name the client sent:
 * the upstream is that name (SNI for TLS, Host for HTTP), resolved by Envoy through one shared DNS
 * cache, on the port the client dialed. Stateless; every method builds the same message for the
 * same arguments.
 *
 * <p>The port comes from filter state {@code envoy.upstream.dynamic_port}, set from {@code
 * %DOWNSTREAM_LOCAL_PORT%} (the restored original destination's port), so a port-less rule keeps
 * the dialed port and an HTTP {@code Host} that names another port changes nothing (the HTTP
 * connection manager strips it before routing, and the filter state wins over the Host). The name
 * is only ever one that the chain's {@code server_names} or the virtual host's domains already
 * matched against the policy; the translator never pins an entry a name of which could be an IP
 * literal.
 */
public final class DynamicForwardProxy {
  /** Network filter: resolves the SNI through the DNS cache before tcp_proxy connects. */
  public static final String SNI_FILTER = "envoy.filters.network.sni_dynamic_forward_proxy";

  /** HTTP filter: resolves the request's host through the DNS cache before the router. */
  public static final String HTTP_FILTER = "envoy.filters.http.dynamic_forward_proxy";

  /** Network filter that sets filter state when a connection opens. */
  public static final String NETWORK_SET_FILTER_STATE = "envoy.filters.network.set_filter_state";

  /** HTTP filter that sets filter state from request headers. */
  public static final String HTTP_SET_FILTER_STATE = "envoy.filters.http.set_filter_state";

  /** The cluster type of a dynamic forward proxy cluster. */
  public static final String CLUSTER_TYPE = "envoy.clusters.dynamic_forward_proxy";

  /** Filter state: the host a dynamic forward proxy connects to. */
  public static final String DYNAMIC_HOST = "envoy.upstream.dynamic_host";

  /** Filter state: the port a dynamic forward proxy connects to. */
  public static final String DYNAMIC_PORT = "envoy.upstream.dynamic_port";

  /** The port the client dialed (the original destination's, restored by the listener). */
  public static final String DIALED_PORT_FORMAT = "%DOWNSTREAM_LOCAL_PORT%";

  /** The request's authority, without port once the HTTP connection manager stripped it. */
  public static final String AUTHORITY_FORMAT = "%REQ(:AUTHORITY)%";

  /**
   * The type URL of the HTTP filter's config, carried in a {@link TypedStruct}: java-control-plane
   * 1.0.49's proto predates {@code allow_dynamic_host_from_filter_state} (Envoy 1.35 and later).
   */
  public static final String HTTP_FILTER_CONFIG_TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig";

  /** The SNI filter's {@code port_value} for a port-less entry: TLS's port. */
  public static final int TLS_FALLBACK_PORT = 443;

  /**
   * The name of the DNS cache every filter and cluster of a proxy shares when names resolve to IPv4
   * only. Each setting of the cache has a name of its own: a running Envoy refuses a cache whose
   * name it knows with other settings ("config specified DNS cache ... with different settings"),
   * so a proxy whose IPv6 support changes must move to another name.
   */
  public static final String DNS_CACHE_V4_ONLY = "meshpassthrough_dfp_v4only";

  /** The name of the shared DNS cache when names resolve in both families ({@code AUTO}). */
  public static final String DNS_CACHE_AUTO = "meshpassthrough_dfp_auto";

  /** The most names the cache holds (Envoy's default, written out). */
  public static final int MAX_HOSTS = 1024;

  /** The most DNS lookups pending at once (Envoy's default, written out). */
  public static final int MAX_PENDING_LOOKUPS = 1024;

  private DynamicForwardProxy() {}

  /**
   * The shared DNS cache of a proxy: {@code V4_ONLY} ({@link #DNS_CACHE_V4_ONLY}) when the proxy is
   * not IPv6, else Envoy's default, {@code AUTO} ({@link #DNS_CACHE_AUTO}); bounded to {@link
   * #MAX_HOSTS} names and {@link #MAX_PENDING_LOOKUPS} pending lookups.
   *
   * @param proxy the proxy whose names it resolves
   * @return the cache's config, the same for the same proxy family
   */
  public static DnsCacheConfig dnsCache(ProxyContext proxy) {
    boolean v4Only = !proxy.dataplaneIpv6();
    DnsCacheConfig.Builder cache =
        DnsCacheConfig.newBuilder()
            .setName(v4Only ? DNS_CACHE_V4_ONLY : DNS_CACHE_AUTO)
            .setMaxHosts(UInt32Value.of(MAX_HOSTS))
            .setDnsCacheCircuitBreaker(
                DnsCacheCircuitBreakers.newBuilder()
                    .setMaxPendingRequests(UInt32Value.of(MAX_PENDING_LOOKUPS)));
    if (v4Only) {
      cache.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY);
    }
    return cache.build();
  }

  /**
   * The network filters a TLS chain runs before its tcp_proxy: the dialed port into filter state,
   * then the SNI's lookup.
   *
   * @param port the entry's port, written as the SNI filter's {@code port_value}, which Envoy uses
   *     only when the filter state holds no port (never: the first filter always sets it); {@link
   *     #TLS_FALLBACK_PORT} for a port-less entry, as Envoy requires 1 to 65535
   * @param cache the proxy's DNS cache ({@link #dnsCache})
   */
  public static List<Filter> tlsFilters(int port, DnsCacheConfig cache) {
    io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config dialedPort =
        io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.newBuilder()
            .addOnNewConnection(state(DYNAMIC_PORT, DIALED_PORT_FORMAT))
            .build();
    FilterConfig lookup =
        FilterConfig.newBuilder().setDnsCacheConfig(cache).setPortValue(port).build();
    return List.of(
        Filter.newBuilder()
            .setName(NETWORK_SET_FILTER_STATE)
            .setTypedConfig(Any.pack(dialedPort))
            .build(),
        Filter.newBuilder().setName(SNI_FILTER).setTypedConfig(Any.pack(lookup)).build());
  }

  /**
   * The HTTP filters an HTTP connection manager runs before its router when some route goes to a
   * dynamic forward proxy cluster: the host (without port) and the dialed port into filter state,
   * then the lookup, which reads them.
   *
   * @param cache the proxy's DNS cache ({@link #dnsCache})
   */
  public static List<HttpFilter> httpFilters(DnsCacheConfig cache) {
    io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config hostAndPort =
        io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.newBuilder()
            .addOnRequestHeaders(state(DYNAMIC_HOST, AUTHORITY_FORMAT))
            .addOnRequestHeaders(state(DYNAMIC_PORT, DIALED_PORT_FORMAT))
            .build();
    Struct.Builder value = Struct.newBuilder();
    value.putFields(
        "allow_dynamic_host_from_filter_state", Value.newBuilder().setBoolValue(true).build());
    value.putFields("dns_cache_config", Value.newBuilder().setStructValue(struct(cache)).build());
    TypedStruct lookup =
        TypedStruct.newBuilder().setTypeUrl(HTTP_FILTER_CONFIG_TYPE_URL).setValue(value).build();
    return List.of(
        HttpFilter.newBuilder()
            .setName(HTTP_SET_FILTER_STATE)
            .setTypedConfig(Any.pack(hostAndPort))
            .build(),
        HttpFilter.newBuilder().setName(HTTP_FILTER).setTypedConfig(Any.pack(lookup)).build());
  }

  /**
   * A dynamic forward proxy cluster on the shared cache: it connects to the host the filters
   * resolved, on the port in filter state. The clusters of {@code http2} and {@code grpc} traffic
   * speak HTTP/2 upstream and, as Envoy requires of a dynamic forward proxy cluster with HTTP
   * protocol options, set {@code auto_sni} and {@code auto_san_validation} (which do nothing for
   * plaintext).
   */
  static Cluster cluster(String name, Protocol protocol, DnsCacheConfig cache) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setConnectTimeout(ClusterFactory.CONNECT_TIMEOUT)
            .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
            .setClusterType(
                Cluster.CustomClusterType.newBuilder()
                    .setName(CLUSTER_TYPE)
                    .setTypedConfig(
                        Any.pack(ClusterConfig.newBuilder().setDnsCacheConfig(cache).build())));
    if (protocol == Protocol.HTTP2 || protocol == Protocol.GRPC) {
      ClusterFactory.addHttpOptions(
          cluster,
          ClusterFactory.http2Options()
              .setUpstreamHttpProtocolOptions(
                  UpstreamHttpProtocolOptions.newBuilder()
                      .setAutoSni(true)
                      .setAutoSanValidation(true)));
    }
    return cluster.build();
  }

  private static FilterStateValue state(String key, String format) {
    return FilterStateValue.newBuilder()
        .setObjectKey(key)
        .setFormatString(
            SubstitutionFormatString.newBuilder()
                .setTextFormatSource(DataSource.newBuilder().setInlineString(format)))
        .build();
  }

  private static Struct struct(DnsCacheConfig cache) {
    try {
      Struct.Builder struct = Struct.newBuilder();
      JsonFormat.parser()
          .merge(JsonFormat.printer().preservingProtoFieldNames().print(cache), struct);
      return struct.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "a DnsCacheConfig is always valid JSON: " + e.getMessage(), e);
    }
  }
}
