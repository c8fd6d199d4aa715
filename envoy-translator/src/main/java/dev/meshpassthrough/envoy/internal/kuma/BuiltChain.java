package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.envoy.internal.ClusterSpec;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import java.util.Comparator;
import java.util.List;

/**
 * A filter chain generated from one matcher, and the clusters its filters send traffic to.
 *
 * @param chain the chain
 * @param matcher the matcher it was generated from
 * @param clusters the clusters it refers to, each once, sorted by name
 */
record BuiltChain(FilterChain chain, FilterChainMatcher matcher, List<ClusterSpec> clusters) {
  /** Copies the list, sorted by cluster name. */
  BuiltChain {
    clusters =
        clusters.size() < 2
            ? List.copyOf(clusters) // most chains: one cluster, nothing to sort
            : clusters.stream().sorted(Comparator.comparing(ClusterSpec::name)).toList();
  }
}
