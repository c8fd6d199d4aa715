package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A filter chain generated from one matcher, and the clusters its filters send traffic to.
 *
 * @param chain the chain
 * @param matcher the matcher it was generated from
 * @param clusters the cluster names it refers to, with the protocol each cluster speaks
 */
record BuiltChain(FilterChain chain, FilterChainMatcher matcher, Map<String, Protocol> clusters) {
  /** Copies the map, sorted by cluster name. */
  BuiltChain {
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
  }
}
