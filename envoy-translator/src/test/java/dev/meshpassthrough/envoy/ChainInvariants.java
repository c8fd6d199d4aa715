package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.HashSet;
import java.util.Set;

/**
 * The first acceptance check every output of the test suite passes: on each listener, unique chain
 * names and no two chains with the same {@code filterChainMatch}.
 */
public final class ChainInvariants {
  private ChainInvariants() {}

  /** Asserts the check on every listener of {@code result}; returns the result. */
  public static TranslationResult assertAcceptable(TranslationResult result) {
    for (Listener listener : result.listeners()) {
      Set<String> names = new HashSet<>();
      Set<FilterChainMatch> matches = new HashSet<>();
      for (FilterChain chain : listener.getFilterChainsList()) {
        if (!chain.getName().isEmpty()) {
          assertThat(names.add(chain.getName()))
              .as("chain name %s is unique on %s", chain.getName(), listener.getName())
              .isTrue();
        }
        assertThat(matches.add(chain.getFilterChainMatch()))
            .as("match of chain %s is unique on %s", chain.getName(), listener.getName())
            .isTrue();
      }
    }
    return result;
  }
}
