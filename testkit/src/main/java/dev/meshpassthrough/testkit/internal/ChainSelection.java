package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Optional;

/**
 * Picks a listener's filter chain: with {@code filter_chain_matcher} by the Matcher API ({@link
 * MatcherEvaluator}; chains' own matches are ignored), else by legacy {@code filter_chain_match}
 * ({@link LegacySelection}). When nothing matches, {@code default_filter_chain}, else the
 * connection is closed. A matcher action naming a chain that does not exist closes the connection.
 */
final class ChainSelection {
  private ChainSelection() {}

  /** The chain, or empty when the run ended. */
  static Optional<FilterChain> select(
      ListenerModel model, ConnectionFacts facts, SimulationRun run) {
    Listener listener = model.listener();
    Optional<FilterChain> chain;
    run.trace.add(
        Stage.FILTER_CHAIN,
        listener.hasFilterChainMatcher()
            ? "filter chain selection: filter_chain_matcher (Matcher API)"
            : "filter chain selection: filter_chain_match (legacy; most specific branch per level, no backtracking)");
    run.trace.enter();
    try {
      if (listener.hasFilterChainMatcher()) {
        Optional<String> name =
            new MatcherEvaluator(facts, run.trace).evaluate(listener.getFilterChainMatcher());
        if (name.isPresent()) {
          chain = model.chainNamed(name.get());
          if (chain.isEmpty()) {
            run.trace.add(
                Stage.FILTER_CHAIN,
                "the action names chain " + name.get() + ", which does not exist");
            return run.stop(
                Outcome.NO_FILTER_CHAIN,
                "closed: the matcher's action names chain "
                    + name.get()
                    + ", which does not exist");
          }
        } else {
          chain = Optional.empty();
        }
      } else {
        chain = model.legacy().select(facts, run.trace);
      }
    } finally {
      run.trace.leave();
    }
    if (chain.isPresent()) {
      run.trace.add(Stage.FILTER_CHAIN, "filter chain " + model.label(chain.get()));
      return chain;
    }
    if (listener.hasDefaultFilterChain()) {
      FilterChain fallback = listener.getDefaultFilterChain();
      run.trace.add(
          Stage.FILTER_CHAIN,
          "no filter chain matches: default_filter_chain " + model.label(fallback));
      return Optional.of(fallback);
    }
    String where = run.trace.lastMessage();
    run.trace.add(
        Stage.FILTER_CHAIN, "no filter chain matches and there is no default_filter_chain");
    return run.stop(Outcome.NO_FILTER_CHAIN, "closed: no filter chain matches (" + where + ")");
  }
}
