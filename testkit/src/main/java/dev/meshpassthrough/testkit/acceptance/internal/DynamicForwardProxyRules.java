package dev.meshpassthrough.testkit.acceptance.internal;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Envoy 1.40 refuses in a dynamic forward proxy: a filter or cluster without a DNS cache, a
 * cluster whose HTTP protocol options lack {@code auto_sni} and {@code auto_san_validation} (unless
 * {@code allow_insecure_cluster_options}), a cluster whose {@code lb_policy} is not {@code
 * CLUSTER_PROVIDED}, and two DNS caches of one name with different settings. One instance per run:
 * it remembers the caches seen.
 */
final class DynamicForwardProxyRules {
  static final String CLUSTER_TYPE = "envoy.clusters.dynamic_forward_proxy";
  private static final String HTTP_OPTIONS_KEY =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String SNI_FILTER_TYPE =
      io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
          .getDescriptor()
          .getFullName();

  private final TypeRegistry registry;
  private final Map<String, DnsCacheConfig> caches = new HashMap<>();

  DynamicForwardProxyRules(TypeRegistry registry) {
    this.registry = registry;
  }

  void checkListener(Listener listener, ProblemSink sink) {
    List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
    if (listener.hasDefaultFilterChain()) {
      chains.add(listener.getDefaultFilterChain());
    }
    for (int c = 0; c < chains.size(); c++) {
      FilterChain chain = chains.get(c);
      String chainPath =
          c < listener.getFilterChainsCount() ? "filterChains[" + c + "]" : "defaultFilterChain";
      for (int f = 0; f < chain.getFiltersCount(); f++) {
        checkNetworkFilter(chain.getFilters(f), chainPath + ".filters[" + f + "]", sink);
      }
    }
  }

  private void checkNetworkFilter(Filter filter, String path, ProblemSink sink) {
    String type = typeName(filter.getTypedConfig());
    if (type.equals(SNI_FILTER_TYPE)) {
      parse(filter.getTypedConfig().getValue(), DnsCacheConfigHolder.SNI)
          .ifPresent(
              config ->
                  cache(
                      ((io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3
                                  .FilterConfig)
                              config)
                          .getDnsCacheConfig(),
                      path + ".typedConfig.dnsCacheConfig",
                      sink));
    } else if (type.equals(HttpConnectionManager.getDescriptor().getFullName())) {
      try {
        HttpConnectionManager manager = filter.getTypedConfig().unpack(HttpConnectionManager.class);
        for (int i = 0; i < manager.getHttpFiltersCount(); i++) {
          checkHttpFilter(
              manager.getHttpFilters(i), path + ".typedConfig.httpFilters[" + i + "]", sink);
        }
      } catch (InvalidProtocolBufferException e) {
        // the Any check reports it
      }
    }
  }

  private void checkHttpFilter(HttpFilter filter, String path, ProblemSink sink) {
    Any config = filter.getTypedConfig();
    String type = typeName(config);
    Optional<FilterConfig> proxy = Optional.empty();
    if (type.equals(FilterConfig.getDescriptor().getFullName())) {
      proxy = parse(config.getValue(), DnsCacheConfigHolder.HTTP).map(FilterConfig.class::cast);
    } else if (type.equals(TypedStruct.getDescriptor().getFullName())) {
      try {
        // The Any check opens the TypedStruct and reports its problems; here it is opened only to
        // find the forward proxy's DNS cache.
        TypedStruct typed = config.unpack(TypedStruct.class);
        String typedPath = path + ".typedConfig";
        Optional<DynamicMessage> opened =
            TypedStructs.open(typed, registry, typedPath, new ProblemSink());
        if (typed.getTypeUrl().endsWith("/" + FilterConfig.getDescriptor().getFullName())) {
          proxy =
              opened
                  .flatMap(m -> parse(m.toByteString(), DnsCacheConfigHolder.HTTP))
                  .map(FilterConfig.class::cast);
        }
      } catch (InvalidProtocolBufferException e) {
        // the Any check reports it
      }
    }
    proxy.ifPresent(
        p -> {
          if (p.getImplementationSpecifierCase()
              == FilterConfig.ImplementationSpecifierCase.IMPLEMENTATIONSPECIFIER_NOT_SET) {
            sink.add(
                path + ".typedConfig",
                "dfp.dns-cache",
                "the dynamic_forward_proxy HTTP filter needs a dns_cache_config");
          } else if (p.hasDnsCacheConfig()) {
            cache(p.getDnsCacheConfig(), path + ".typedConfig.dnsCacheConfig", sink);
          }
        });
  }

  void checkCluster(Cluster cluster, ProblemSink sink) {
    if (!cluster.hasClusterType() || !cluster.getClusterType().getName().equals(CLUSTER_TYPE)) {
      return;
    }
    if (cluster.getLbPolicy() != Cluster.LbPolicy.CLUSTER_PROVIDED) {
      sink.add(
          "lbPolicy",
          "cluster.dfp-lb",
          "cluster: LB policy "
              + cluster.getLbPolicy()
              + " is not valid for Cluster type "
              + CLUSTER_TYPE
              + ". Only 'CLUSTER_PROVIDED' is allowed with cluster type '"
              + CLUSTER_TYPE
              + "'");
    }
    Any typed = cluster.getClusterType().getTypedConfig();
    if (!typeName(typed).equals(ClusterConfig.getDescriptor().getFullName())) {
      sink.add(
          "clusterType.typedConfig",
          "cluster.dfp-config",
          "a " + CLUSTER_TYPE + " cluster needs a ClusterConfig, not " + typed.getTypeUrl());
      return;
    }
    ClusterConfig config;
    try {
      config = typed.unpack(ClusterConfig.class);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    if (config.hasDnsCacheConfig()) {
      cache(config.getDnsCacheConfig(), "clusterType.typedConfig.dnsCacheConfig", sink);
    } else if (!config.hasSubClustersConfig()) {
      sink.add(
          "clusterType.typedConfig",
          "dfp.dns-cache",
          "the dynamic_forward_proxy cluster needs a dns_cache_config");
    }
    if (!config.getAllowInsecureClusterOptions() && !secureOptions(cluster)) {
      sink.add(
          "typedExtensionProtocolOptions",
          "cluster.dfp-auto-sni",
          "dynamic_forward_proxy cluster must have auto_sni and auto_san_validation true unless "
              + "allow_insecure_cluster_options is set.");
    }
  }

  /**
   * Envoy sets {@code auto_sni} and {@code auto_san_validation} itself only when the cluster has
   * neither typed HTTP protocol options nor the old {@code upstream_http_protocol_options}.
   */
  private static boolean secureOptions(Cluster cluster) {
    Any typed = cluster.getTypedExtensionProtocolOptionsMap().get(HTTP_OPTIONS_KEY);
    if (typed != null) {
      try {
        var options =
            typed.unpack(
                io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class);
        return options.hasUpstreamHttpProtocolOptions()
            && secure(options.getUpstreamHttpProtocolOptions());
      } catch (InvalidProtocolBufferException e) {
        return true;
      }
    }
    return !cluster.hasUpstreamHttpProtocolOptions()
        || secure(cluster.getUpstreamHttpProtocolOptions());
  }

  private static boolean secure(
      io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions options) {
    return options.getAutoSni() && options.getAutoSanValidation();
  }

  /** Envoy's DNS cache manager refuses a second cache of one name with other settings. */
  private void cache(DnsCacheConfig config, String path, ProblemSink sink) {
    DnsCacheConfig first = caches.putIfAbsent(config.getName(), config);
    if (first != null && !first.equals(config)) {
      sink.add(
          path,
          "dfp.dns-cache-conflict",
          "config specified DNS cache '" + config.getName() + "' with different settings");
    }
  }

  private static Optional<Message> parse(
      com.google.protobuf.ByteString bytes, DnsCacheConfigHolder kind) {
    try {
      return Optional.of(
          kind == DnsCacheConfigHolder.SNI
              ? io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3
                  .FilterConfig.parseFrom(bytes)
              : FilterConfig.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  private static String typeName(Any any) {
    return any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
  }

  /** Which filter's configuration holds the cache. */
  private enum DnsCacheConfigHolder {
    SNI,
    HTTP
  }
}
