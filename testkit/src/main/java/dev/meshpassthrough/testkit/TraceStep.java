package dev.meshpassthrough.testkit;

import java.util.Objects;

/**
 * One step of Envoy's handling of a connection, as the simulator walked it.
 *
 * <p>Steps form a tree by {@code depth}: a step is a child of the nearest step before it with a
 * smaller depth. Traces are deterministic: the same resources and connection give equal traces.
 *
 * @param stage which part of Envoy took the step
 * @param depth 0 for the top level, one more for each nesting
 * @param message what happened, in words
 */
public record TraceStep(Stage stage, int depth, String message) {
  /**
   * Checks the depth.
   *
   * @param stage which part of Envoy took the step, not null
   * @param depth 0 for the top level, one more for each nesting; not negative
   * @param message what happened, in words; not null
   * @throws NullPointerException when {@code stage} or {@code message} is null
   * @throws IllegalArgumentException when {@code depth} is negative
   */
  public TraceStep {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(message, "message");
    if (depth < 0) {
      throw new IllegalArgumentException("depth must not be negative: " + depth);
    }
  }

  /** The message indented by two spaces per level of depth. */
  @Override
  public String toString() {
    return "  ".repeat(depth) + message;
  }

  /** The parts of Envoy a connection passes, in order. */
  public enum Stage {
    /** The connection as the client opens it. */
    CONNECTION,
    /** Which listener accepts it, and hand-offs between listeners. */
    LISTENER,
    /** original_dst, tls_inspector, http_inspector and others. */
    LISTENER_FILTER,
    /** Filter-chain selection, legacy or Matcher API. */
    FILTER_CHAIN,
    /** tcp_proxy, the HTTP connection manager and others. */
    NETWORK_FILTER,
    /** The virtual host an HTTP request lands in. */
    VIRTUAL_HOST,
    /** The route of that virtual host. */
    ROUTE,
    /** The cluster the connection or request goes to. */
    CLUSTER,
    /** The outcome. */
    RESULT
  }
}
