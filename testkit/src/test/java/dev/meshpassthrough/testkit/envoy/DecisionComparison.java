package dev.meshpassthrough.testkit.envoy;

import dev.meshpassthrough.testkit.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where a real Envoy's decision and the simulator's differ, in what a real Envoy can report. */
public final class DecisionComparison {
  private DecisionComparison() {}

  /**
   * Empty when they agree on outcome, listener, chain, cluster, HTTP status and the listener-filter
   * wait.
   */
  public static Optional<String> difference(Decision real, Decision simulated) {
    List<String> differences = new ArrayList<>();
    if (real.outcome() != simulated.outcome()) {
      differences.add("outcome " + real.outcome() + " != " + simulated.outcome());
    }
    if (!real.listener().equals(simulated.listener())) {
      differences.add("listener " + real.listener() + " != " + simulated.listener());
    }
    if (!real.chain().equals(simulated.chain())) {
      differences.add("chain " + real.chain() + " != " + simulated.chain());
    }
    if (real.isAllowed() && !real.cluster().equals(simulated.cluster())) {
      differences.add("cluster " + real.cluster() + " != " + simulated.cluster());
    }
    if (real.httpStatus().isPresent()
        && simulated.httpStatus().isPresent()
        && real.httpStatus().getAsInt() != simulated.httpStatus().getAsInt()) {
      differences.add("HTTP status " + real.httpStatus() + " != " + simulated.httpStatus());
    }
    if (real.waitedForListenerFiltersTimeout() != simulated.waitedForListenerFiltersTimeout()) {
      differences.add(
          "waited for listener_filters_timeout "
              + real.waitedForListenerFiltersTimeout()
              + " != "
              + simulated.waitedForListenerFiltersTimeout());
    }
    return differences.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.join("; ", differences)
                + "\n    real:      "
                + real
                + "\n    simulated: "
                + simulated);
  }
}
