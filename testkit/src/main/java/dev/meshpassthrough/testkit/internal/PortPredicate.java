package dev.meshpassthrough.testkit.internal;

import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;

/** Evaluates a listener filter's {@code filter_disabled} predicate against the local port. */
final class PortPredicate {
  private PortPredicate() {}

  /**
   * Whether {@code predicate} holds for {@code port}; {@code destination_port_range} is [start,
   * end).
   */
  static boolean holds(ListenerFilterChainMatchPredicate predicate, int port) {
    return switch (predicate.getRuleCase()) {
      case OR_MATCH -> predicate.getOrMatch().getRulesList().stream().anyMatch(r -> holds(r, port));
      case AND_MATCH ->
          predicate.getAndMatch().getRulesList().stream().allMatch(r -> holds(r, port));
      case NOT_MATCH -> !holds(predicate.getNotMatch(), port);
      case ANY_MATCH -> predicate.getAnyMatch();
      case DESTINATION_PORT_RANGE ->
          port >= predicate.getDestinationPortRange().getStart()
              && port < predicate.getDestinationPortRange().getEnd();
      case RULE_NOT_SET -> false;
    };
  }
}
