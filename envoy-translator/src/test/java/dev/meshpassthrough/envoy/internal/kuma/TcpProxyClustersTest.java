package dev.meshpassthrough.envoy.internal.kuma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of the given clusters a listener's tcp_proxies name, with the byte pre-filter. */
class TcpProxyClustersTest {
  private static final String REMOVED = "outbound:passthrough:ipv4";

  @Test
  void named_findsExactNames_inClusterAndWeightedClusters_andInTheDefaultChain() {
    Listener listener =
        Listener.newBuilder()
            .addFilterChains(chain(TcpProxy.newBuilder().setCluster(REMOVED + "-other")))
            .addFilterChains(chain(TcpProxy.newBuilder().setStatPrefix(REMOVED).setCluster("a")))
            .addFilterChains(
                chain(
                    TcpProxy.newBuilder()
                        .setWeightedClusters(
                            TcpProxy.WeightedCluster.newBuilder()
                                .addClusters(
                                    TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                                        .setName("b"))
                                .addClusters(
                                    TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                                        .setName(REMOVED)))))
            .setDefaultFilterChain(chain(TcpProxy.newBuilder().setCluster("c")))
            .build();

    // The first two hold the name's bytes but do not name the cluster.
    assertThat(TcpProxyClusters.named(listener, List.of(REMOVED, "c", "missing")))
        .containsExactly(REMOVED, "c");
    assertThat(TcpProxyClusters.named(listener, List.of("a"))).containsExactly("a");
    assertThat(TcpProxyClusters.named(listener, List.of())).isEmpty();
  }

  @Test
  void named_ignoresOtherFilters() {
    Listener listener =
        Listener.newBuilder()
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("hcm")
                            .setTypedConfig(
                                Any.pack(
                                    HttpConnectionManager.newBuilder()
                                        .setStatPrefix(REMOVED)
                                        .build()))))
            .build();

    assertThat(TcpProxyClusters.named(listener, List.of(REMOVED))).isEmpty();
  }

  @Test
  void named_doesNotReadSkippedChains_butReadsTheOthersAndTheDefaultChain() {
    FilterChain skipped = chain(TcpProxy.newBuilder().setCluster(REMOVED));
    FilterChain other = chain(TcpProxy.newBuilder().setCluster("a"));
    Listener listener =
        Listener.newBuilder()
            .addFilterChains(skipped)
            .addFilterChains(other)
            .setDefaultFilterChain(chain(TcpProxy.newBuilder().setCluster("c")))
            .build();
    Set<FilterChain> byIdentity = Collections.newSetFromMap(new IdentityHashMap<>());
    byIdentity.add(listener.getFilterChains(0));

    assertThat(TcpProxyClusters.named(listener, List.of(REMOVED, "a", "c"), byIdentity))
        .containsExactly("a", "c");
    assertThat(TcpProxyClusters.named(listener, List.of(REMOVED, "a", "c")))
        .containsExactly(REMOVED, "a", "c");
  }

  private static FilterChain chain(TcpProxy.Builder tcpProxy) {
    return FilterChain.newBuilder()
        .addFilters(Filter.newBuilder().setName("tcp").setTypedConfig(Any.pack(tcpProxy.build())))
        .build();
  }
}
