package dev.meshpassthrough.testkit.envoy.internal;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DnsResolverOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pinning probe's rewrite of clusters and of the filters that resolve names: clusters keep
 * their type, and every DNS lookup goes to the test's DNS responder.
 *
 * <p>What it keeps, and why each is safe (no byte leaves loopback):
 *
 * <ul>
 *   <li>{@code ORIGINAL_DST} clusters connect to the connection's restored destination, which is
 *       the PROXY header's destination; the pinning harness only ever sends loopback destinations.
 *       A cluster that takes its destination from an HTTP header or from metadata is refused.
 *   <li>{@code STRICT_DNS} and {@code LOGICAL_DNS} clusters get the responder as their only c-ares
 *       resolver (no search domains); the responder answers loopback addresses only. Endpoints
 *       written as IP literals must be loopback ones.
 *   <li>Dynamic forward proxy clusters, the {@code sni_dynamic_forward_proxy} network filter and
 *       the HTTP {@code dynamic_forward_proxy} filter (typed, or as a {@code TypedStruct}) get the
 *       same resolver in their {@code dns_cache_config}. Per-host sub-clusters are refused.
 *   <li>{@code STATIC} clusters must have loopback endpoints only.
 * </ul>
 *
 * <p>Everything else (EDS, other custom cluster types, health checks) is refused, and so is a
 * dynamic forward proxy filter the probe cannot read (for example inside a {@code
 * udpa.type.v1.TypedStruct}): it would resolve names with the system's DNS.
 */
public final class PinningRewrite {
  static final String DFP_CLUSTER = "envoy.clusters.dynamic_forward_proxy";
  private static final String SNI_DFP = "envoy.filters.network.sni_dynamic_forward_proxy";
  private static final String SNI_DFP_TYPE =
      "type.googleapis.com/"
          + io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
              .getDescriptor()
              .getFullName();
  private static final String HTTP_DFP_TYPE =
      "type.googleapis.com/"
          + io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig
              .getDescriptor()
              .getFullName();
  private static final String TYPED_STRUCT_TYPE =
      "type.googleapis.com/" + TypedStruct.getDescriptor().getFullName();
  private static final String HCM_TYPE =
      "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder().add(CaresDnsResolverConfig.getDescriptor()).build();

  private final TypedExtensionConfig resolver;

  /** Lookups go to {@code responder} (a loopback DNS server owned by the harness). */
  public PinningRewrite(InetSocketAddress responder) {
    CaresDnsResolverConfig cares =
        CaresDnsResolverConfig.newBuilder()
            .addResolvers(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder()
                            .setAddress(responder.getAddress().getHostAddress())
                            .setPortValue(responder.getPort())))
            .setDnsResolverOptions(DnsResolverOptions.newBuilder().setNoDefaultSearchDomain(true))
            .build();
    this.resolver =
        TypedExtensionConfig.newBuilder()
            .setName("envoy.network.dns_resolver.cares")
            .setTypedConfig(Any.pack(cares))
            .build();
  }

  /** The resolver every rewritten lookup uses; also the probe Envoy's bootstrap default. */
  public TypedExtensionConfig resolver() {
    return resolver;
  }

  /**
   * The probe version of {@code cluster}.
   *
   * @throws RealEnvoyException when it could reach beyond loopback
   */
  public Cluster cluster(Cluster cluster) {
    if (cluster.getHealthChecksCount() > 0) {
      throw refuse(cluster, "health checks");
    }
    if (cluster.hasClusterType()) {
      if (!cluster.getClusterType().getName().equals(DFP_CLUSTER)) {
        throw refuse(cluster, "cluster type " + cluster.getClusterType().getName());
      }
      ClusterConfig config = unpack(cluster.getClusterType().getTypedConfig(), ClusterConfig.class);
      if (config.hasSubClustersConfig() || !config.hasDnsCacheConfig()) {
        throw refuse(cluster, "a dynamic forward proxy without a DNS cache (sub-clusters)");
      }
      ClusterConfig probe =
          config.toBuilder().setDnsCacheConfig(cache(config.getDnsCacheConfig())).build();
      return cluster.toBuilder()
          .setClusterType(cluster.getClusterType().toBuilder().setTypedConfig(Any.pack(probe)))
          .build();
    }
    switch (cluster.getType()) {
      case ORIGINAL_DST:
        if (cluster.getOriginalDstLbConfig().getUseHttpHeader()
            || cluster.getOriginalDstLbConfig().hasMetadataKey()) {
          throw refuse(cluster, "an ORIGINAL_DST destination from a header or metadata");
        }
        return cluster;
      case STRICT_DNS:
      case LOGICAL_DNS:
        requireLoopbackLiterals(cluster);
        return cluster.toBuilder()
            .clearDnsResolvers()
            .clearDnsResolutionConfig()
            .clearUseTcpForDnsLookups()
            .setTypedDnsResolverConfig(resolver)
            .build();
      case STATIC:
        requireLoopbackLiterals(cluster);
        if (cluster.getLoadAssignment().getEndpointsList().stream()
            .flatMap(l -> l.getLbEndpointsList().stream())
            .anyMatch(e -> !isIpLiteral(e.getEndpoint().getAddress()))) {
          throw refuse(cluster, "a STATIC endpoint that is not a loopback IP");
        }
        return cluster;
      default:
        throw refuse(cluster, "discovery type " + cluster.getType());
    }
  }

  /** {@code listener} with the resolver in every dynamic forward proxy filter's DNS cache. */
  public Listener listener(Listener listener) {
    Listener.Builder builder = listener.toBuilder();
    for (int i = 0; i < builder.getFilterChainsCount(); i++) {
      builder.setFilterChains(i, chain(builder.getFilterChains(i)));
    }
    if (builder.hasDefaultFilterChain()) {
      builder.setDefaultFilterChain(chain(builder.getDefaultFilterChain()));
    }
    return builder.build();
  }

  /**
   * Requires one configuration per DNS cache name across {@code listeners} and {@code clusters}, as
   * Envoy does: every place that names a cache must describe it identically.
   *
   * @throws RealEnvoyException naming the cache when two places differ
   */
  public static void requireConsistentCaches(
      Collection<Listener> listeners, Collection<Cluster> clusters) {
    Map<String, DnsCacheConfig> seen = new LinkedHashMap<>();
    for (Cluster cluster : clusters) {
      if (cluster.hasClusterType() && cluster.getClusterType().getName().equals(DFP_CLUSTER)) {
        remember(
            seen,
            unpack(cluster.getClusterType().getTypedConfig(), ClusterConfig.class)
                .getDnsCacheConfig(),
            "cluster " + cluster.getName());
      }
    }
    for (Listener listener : listeners) {
      for (FilterChain chain : listener.getFilterChainsList()) {
        caches(chain).forEach((where, cache) -> remember(seen, cache, where));
      }
      if (listener.hasDefaultFilterChain()) {
        caches(listener.getDefaultFilterChain()).forEach((where, c) -> remember(seen, c, where));
      }
    }
  }

  private static void remember(Map<String, DnsCacheConfig> seen, DnsCacheConfig cache, String at) {
    DnsCacheConfig earlier = seen.putIfAbsent(cache.getName(), cache);
    if (earlier != null && !earlier.equals(cache)) {
      throw new RealEnvoyException(
          "DNS cache " + cache.getName() + " is configured differently in " + at + ":\n" + cache);
    }
  }

  static Map<String, DnsCacheConfig> caches(FilterChain chain) {
    Map<String, DnsCacheConfig> found = new LinkedHashMap<>();
    for (Filter filter : chain.getFiltersList()) {
      String type = filter.getTypedConfig().getTypeUrl();
      if (type.equals(SNI_DFP_TYPE)) {
        found.put(
            "chain " + chain.getName() + " " + SNI_DFP,
            unpack(
                    filter.getTypedConfig(),
                    io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3
                        .FilterConfig.class)
                .getDnsCacheConfig());
      } else if (type.equals(HCM_TYPE)) {
        for (HttpFilter http :
            unpack(filter.getTypedConfig(), HttpConnectionManager.class).getHttpFiltersList()) {
          java.util.Optional<DnsCacheConfig> cache = httpCache(http.getTypedConfig());
          if (cache.isEmpty()
              && mentionsDynamicForwardProxy(http.getName(), http.getTypedConfig())) {
            throw unreadable(chain, http.getName(), http.getTypedConfig());
          }
          cache.ifPresent(c -> found.put("chain " + chain.getName() + " " + http.getName(), c));
        }
      } else if (mentionsDynamicForwardProxy(filter.getName(), filter.getTypedConfig())) {
        throw unreadable(chain, filter.getName(), filter.getTypedConfig());
      }
    }
    return found;
  }

  /**
   * Whether a filter looks like a dynamic forward proxy by its name, its type or the type inside a
   * {@code TypedStruct}: one the probe cannot read would resolve names with the system's DNS.
   */
  private static boolean mentionsDynamicForwardProxy(String name, Any config) {
    String inner = "";
    if (config.getTypeUrl().endsWith("TypedStruct")) {
      try {
        inner =
            config.getTypeUrl().equals(TYPED_STRUCT_TYPE)
                ? config.unpack(TypedStruct.class).getTypeUrl()
                : config.unpack(com.github.udpa.udpa.type.v1.TypedStruct.class).getTypeUrl();
      } catch (InvalidProtocolBufferException e) {
        inner = "dynamic_forward_proxy?"; // unreadable: assume the worst
      }
    }
    return Stream.of(name, config.getTypeUrl(), inner)
        .anyMatch(text -> text.contains("dynamic_forward_proxy"));
  }

  private static RealEnvoyException unreadable(FilterChain chain, String name, Any config) {
    return new RealEnvoyException(
        "the probe cannot read the dynamic forward proxy "
            + name
            + " ("
            + config.getTypeUrl()
            + ") of chain "
            + chain.getName()
            + ": it would resolve names with the system's DNS");
  }

  private FilterChain chain(FilterChain chain) {
    FilterChain.Builder builder = chain.toBuilder();
    for (int i = 0; i < builder.getFiltersCount(); i++) {
      Filter filter = builder.getFilters(i);
      String type = filter.getTypedConfig().getTypeUrl();
      if (type.equals(SNI_DFP_TYPE)) {
        var config =
            unpack(
                filter.getTypedConfig(),
                io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3
                    .FilterConfig.class);
        builder.setFilters(
            i,
            filter.toBuilder()
                .setTypedConfig(
                    Any.pack(
                        config.toBuilder()
                            .setDnsCacheConfig(cache(config.getDnsCacheConfig()))
                            .build())));
      } else if (filter.getName().equals(SNI_DFP)) {
        throw new RealEnvoyException(
            "the probe cannot read " + SNI_DFP + " of type " + type + " (chain " + chain + ")");
      } else if (type.equals(HCM_TYPE)) {
        HttpConnectionManager hcm = unpack(filter.getTypedConfig(), HttpConnectionManager.class);
        HttpConnectionManager.Builder hcmBuilder = hcm.toBuilder();
        for (int j = 0; j < hcmBuilder.getHttpFiltersCount(); j++) {
          HttpFilter http = hcmBuilder.getHttpFilters(j);
          hcmBuilder.setHttpFilters(
              j, http.toBuilder().setTypedConfig(httpFilter(http.getTypedConfig())));
        }
        builder.setFilters(i, filter.toBuilder().setTypedConfig(Any.pack(hcmBuilder.build())));
      }
    }
    return builder.build();
  }

  private Any httpFilter(Any config) {
    if (config.getTypeUrl().equals(HTTP_DFP_TYPE)) {
      var typed =
          unpack(
              config,
              io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig
                  .class);
      return Any.pack(
          typed.toBuilder().setDnsCacheConfig(cache(typed.getDnsCacheConfig())).build());
    }
    if (config.getTypeUrl().equals(TYPED_STRUCT_TYPE)) {
      TypedStruct struct = unpack(config, TypedStruct.class);
      if (struct.getTypeUrl().equals(HTTP_DFP_TYPE)) {
        Value cache = struct.getValue().getFieldsOrDefault("dns_cache_config", null);
        if (cache == null) {
          cache = struct.getValue().getFieldsOrDefault("dnsCacheConfig", null);
        }
        if (cache == null) {
          throw new RealEnvoyException("an HTTP dynamic forward proxy without a DNS cache");
        }
        DnsCacheConfig probe = cache(fromStruct(cache.getStructValue()));
        Struct value =
            struct.getValue().toBuilder()
                .removeFields("dnsCacheConfig")
                .putFields(
                    "dns_cache_config", Value.newBuilder().setStructValue(toStruct(probe)).build())
                .build();
        return Any.pack(struct.toBuilder().setValue(value).build());
      }
    }
    return config;
  }

  private static java.util.Optional<DnsCacheConfig> httpCache(Any config) {
    if (config.getTypeUrl().equals(HTTP_DFP_TYPE)) {
      return java.util.Optional.of(
          unpack(
                  config,
                  io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig
                      .class)
              .getDnsCacheConfig());
    }
    if (config.getTypeUrl().equals(TYPED_STRUCT_TYPE)) {
      TypedStruct struct = unpack(config, TypedStruct.class);
      if (struct.getTypeUrl().equals(HTTP_DFP_TYPE)) {
        Value cache = struct.getValue().getFieldsOrDefault("dns_cache_config", null);
        if (cache != null) {
          return java.util.Optional.of(fromStruct(cache.getStructValue()));
        }
      }
    }
    return java.util.Optional.empty();
  }

  private DnsCacheConfig cache(DnsCacheConfig cache) {
    return cache.toBuilder()
        .clearDnsResolutionConfig()
        .clearUseTcpForDnsLookups()
        .setTypedDnsResolverConfig(resolver)
        .build();
  }

  private static DnsCacheConfig fromStruct(Struct struct) {
    try {
      DnsCacheConfig.Builder builder = DnsCacheConfig.newBuilder();
      JsonFormat.parser()
          .usingTypeRegistry(TYPES)
          .merge(JsonFormat.printer().print(struct), builder);
      return builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw new RealEnvoyException("an unreadable DNS cache config: " + e.getMessage(), e);
    }
  }

  private static Struct toStruct(DnsCacheConfig cache) {
    try {
      Struct.Builder builder = Struct.newBuilder();
      JsonFormat.parser()
          .merge(
              JsonFormat.printer()
                  .usingTypeRegistry(TYPES)
                  .preservingProtoFieldNames()
                  .print(cache),
              builder);
      return builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new RealEnvoyException("the probe cannot read " + any.getTypeUrl(), e);
    }
  }

  private static void requireLoopbackLiterals(Cluster cluster) {
    cluster.getLoadAssignment().getEndpointsList().stream()
        .flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress())
        .filter(PinningRewrite::isIpLiteral)
        .filter(a -> !isLoopback(a))
        .findFirst()
        .ifPresent(
            a -> {
              throw refuse(cluster, "endpoint " + a.getSocketAddress().getAddress());
            });
  }

  private static boolean isIpLiteral(Address address) {
    return address.hasSocketAddress()
        && IpLiteral.parse(address.getSocketAddress().getAddress()).isPresent();
  }

  private static boolean isLoopback(Address address) {
    return IpLiteral.parse(address.getSocketAddress().getAddress())
        .filter(l -> !l.zoneId())
        .map(l -> l.address().isLoopbackAddress())
        .orElse(false);
  }

  private static RealEnvoyException refuse(Cluster cluster, String what) {
    return new RealEnvoyException(
        "the pinning probe refuses cluster "
            + cluster.getName()
            + " ("
            + what
            + "): only ORIGINAL_DST, DNS resolved by the test's responder, dynamic forward proxies"
            + " on that responder, and STATIC clusters on loopback may be loaded (no byte may leave"
            + " 127.0.0.0/8)");
  }
}
