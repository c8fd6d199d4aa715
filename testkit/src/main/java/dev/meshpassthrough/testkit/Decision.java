package dev.meshpassthrough.testkit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What Envoy does with one connection, and why: allowed to a cluster, or denied (closed, stalled,
 * or answered by Envoy itself), with the step-by-step trace.
 *
 * <p>Immutable. The optional fields say how far the connection got: the listener that accepted it,
 * the filter chain it landed on, the virtual host of an HTTP request, the cluster it went to.
 *
 * @param outcome what happened
 * @param reason one sentence on why, for example {@code closed: no filter chain matches}
 * @param listener the listener that handled the connection, if any
 * @param chain the filter chain it landed on ({@code #index} for an unnamed chain), if any
 * @param virtualHost the virtual host of an HTTP request, if one matched
 * @param cluster the cluster it was sent to, if any (also when the cluster does not exist)
 * @param clusterType the cluster's discovery type, for example {@code ORIGINAL_DST}, when it exists
 * @param httpStatus the status Envoy answered with, for {@link Outcome#HTTP_RESPONSE} and for a
 *     route to a missing cluster
 * @param trace every step, in order; empty when the decider cannot see inside Envoy (a real Envoy
 *     reports what it did, not how it got there: see {@link #hasTrace()})
 * @param waitedForListenerFiltersTimeout whether the connection went on only after {@code
 *     listener_filters_timeout} expired (a server-first client behind inspectors, with {@code
 *     continue_on_listener_filters_timeout}): allowed, but late
 * @param upstream where an allowed connection goes (the dialed address, a DNS name, an endpoint),
 *     when the decider knows it; empty for a denied connection
 */
public record Decision(
    Outcome outcome,
    String reason,
    Optional<String> listener,
    Optional<String> chain,
    Optional<String> virtualHost,
    Optional<String> cluster,
    Optional<String> clusterType,
    OptionalInt httpStatus,
    List<TraceStep> trace,
    boolean waitedForListenerFiltersTimeout,
    Optional<Upstream> upstream) {

  /**
   * Copies the trace.
   *
   * @param outcome what happened, not null
   * @param reason one sentence on why, for example {@code closed: no filter chain matches}; not
   *     null
   * @param listener the name of the listener that handled the connection, or empty when none did;
   *     not null
   * @param chain the filter chain it landed on ({@code #index} for an unnamed chain), or empty; not
   *     null
   * @param virtualHost the virtual host of an HTTP request, or empty when none matched; not null
   * @param cluster the cluster it was sent to, also when that cluster does not exist, or empty; not
   *     null
   * @param clusterType the cluster's discovery type, for example {@code ORIGINAL_DST}, or empty
   *     when the cluster does not exist or none was reached; not null
   * @param httpStatus the status Envoy answered with, for {@link Outcome#HTTP_RESPONSE} and for a
   *     route to a missing cluster, else empty; not null
   * @param trace every step, in order, or empty when the decider cannot see inside Envoy; copied;
   *     not null, nor any element
   * @param waitedForListenerFiltersTimeout whether the connection went on only after {@code
   *     listener_filters_timeout} expired
   * @param upstream where an allowed connection goes, or empty when unknown or denied; not null
   * @throws NullPointerException when {@code outcome}, {@code reason}, {@code trace}, a step or
   *     {@code upstream} is null
   */
  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(upstream, "upstream");
    trace = List.copyOf(trace);
  }

  /**
   * A decision whose upstream is not known.
   *
   * @param outcome what happened, not null
   * @param reason one sentence on why; not null
   * @param listener the listener that handled the connection, or empty; not null
   * @param chain the filter chain it landed on, or empty; not null
   * @param virtualHost the virtual host of an HTTP request, or empty; not null
   * @param cluster the cluster it was sent to, or empty; not null
   * @param clusterType the cluster's discovery type, or empty; not null
   * @param httpStatus the status Envoy answered with, or empty; not null
   * @param trace every step, in order, or empty; copied; not null, nor any element
   * @param waitedForListenerFiltersTimeout whether the connection went on only after {@code
   *     listener_filters_timeout} expired
   * @throws NullPointerException when {@code outcome}, {@code reason}, {@code trace} or a step is
   *     null
   */
  public Decision(
      Outcome outcome,
      String reason,
      Optional<String> listener,
      Optional<String> chain,
      Optional<String> virtualHost,
      Optional<String> cluster,
      Optional<String> clusterType,
      OptionalInt httpStatus,
      List<TraceStep> trace,
      boolean waitedForListenerFiltersTimeout) {
    this(
        outcome,
        reason,
        listener,
        chain,
        virtualHost,
        cluster,
        clusterType,
        httpStatus,
        trace,
        waitedForListenerFiltersTimeout,
        Optional.empty());
  }

  /**
   * This decision with its upstream.
   *
   * @param upstream where the connection goes, not null
   * @return a copy with {@code upstream} and everything else unchanged, never null
   */
  public Decision withUpstream(Upstream upstream) {
    return new Decision(
        outcome,
        reason,
        listener,
        chain,
        virtualHost,
        cluster,
        clusterType,
        httpStatus,
        trace,
        waitedForListenerFiltersTimeout,
        Optional.of(upstream));
  }

  /**
   * A decision that did not wait for {@code listener_filters_timeout}.
   *
   * @param outcome what happened, not null
   * @param reason one sentence on why, for example {@code closed: no filter chain matches}; not
   *     null
   * @param listener the name of the listener that handled the connection, or empty when none did;
   *     not null
   * @param chain the filter chain it landed on ({@code #index} for an unnamed chain), or empty; not
   *     null
   * @param virtualHost the virtual host of an HTTP request, or empty when none matched; not null
   * @param cluster the cluster it was sent to, also when that cluster does not exist, or empty; not
   *     null
   * @param clusterType the cluster's discovery type, for example {@code ORIGINAL_DST}, or empty
   *     when the cluster does not exist or none was reached; not null
   * @param httpStatus the status Envoy answered with, for {@link Outcome#HTTP_RESPONSE} and for a
   *     route to a missing cluster, else empty; not null
   * @param trace every step, in order, or empty when the decider cannot see inside Envoy; copied;
   *     not null, nor any element
   * @throws NullPointerException when {@code outcome}, {@code reason}, {@code trace} or a step is
   *     null
   */
  public Decision(
      Outcome outcome,
      String reason,
      Optional<String> listener,
      Optional<String> chain,
      Optional<String> virtualHost,
      Optional<String> cluster,
      Optional<String> clusterType,
      OptionalInt httpStatus,
      List<TraceStep> trace) {
    this(
        outcome,
        reason,
        listener,
        chain,
        virtualHost,
        cluster,
        clusterType,
        httpStatus,
        trace,
        false);
  }

  /**
   * Whether the decision carries Envoy's steps: the simulator's always do, a real Envoy's never.
   *
   * @return true when {@link #trace()} is not empty
   */
  public boolean hasTrace() {
    return !trace.isEmpty();
  }

  /**
   * {@link Verdict#ALLOW} for {@link Outcome#PASSTHROUGH}, {@link Outcome#FORWARDED} and {@link
   * Outcome#AUDITED}, else {@link Verdict#DENY}.
   *
   * @return the verdict of {@link #outcome()}, never null
   */
  public Verdict verdict() {
    return outcome.verdict();
  }

  /**
   * Whether an audit log recorded the connection as a would-be denial (audit mode): {@link
   * Outcome#AUDITED}.
   *
   * @return true for {@link Outcome#AUDITED}
   */
  public boolean isFlagged() {
    return outcome == Outcome.AUDITED;
  }

  /**
   * What the same configuration would do under enforcement: {@link Verdict#DENY} for a flagged
   * decision, else {@link #verdict()}. Under audit mode this is what to compare with the policy's
   * intent.
   *
   * @return the verdict as enforced, never null
   */
  public Verdict verdictUnderEnforcement() {
    return isFlagged() ? Verdict.DENY : verdict();
  }

  /**
   * Whether the connection reaches a cluster.
   *
   * @return true when the verdict is {@link Verdict#ALLOW}, also when the connection was late (see
   *     {@link #waitedForListenerFiltersTimeout()})
   */
  public boolean isAllowed() {
    return verdict() == Verdict.ALLOW;
  }

  /**
   * The trace as text: one step per line, indented by depth, ending with a newline.
   *
   * @return the steps of {@link #trace()} in order, each as {@link TraceStep#toString()}; a lone
   *     newline when there is no trace
   */
  public String traceText() {
    return trace.stream().map(TraceStep::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  /** For example {@code DENY (NO_FILTER_CHAIN): closed: no filter chain matches}. */
  @Override
  public String toString() {
    return verdict() + " (" + outcome + "): " + reason;
  }

  /** What Envoy did with the connection. */
  public enum Outcome {
    /** Sent to an {@code ORIGINAL_DST} cluster: it reaches the address it dialed. */
    PASSTHROUGH(Verdict.ALLOW),
    /** Sent to a cluster of another type: it reaches that cluster's endpoints. */
    FORWARDED(Verdict.ALLOW),
    /** No listener takes connections of the address family: refused. */
    NO_LISTENER(Verdict.DENY),
    /** No filter chain matches and there is no default chain: closed. */
    NO_FILTER_CHAIN(Verdict.DENY),
    /**
     * A listener filter (or the HTTP connection manager) waits for bytes the client never sends;
     * closed when {@code listener_filters_timeout} expires, or never answered.
     */
    STALLED(Verdict.DENY),
    /** The chain has no terminal network filter (tcp_proxy or HTTP connection manager): closed. */
    NO_NETWORK_FILTER(Verdict.DENY),
    /** The cluster named by tcp_proxy or the route does not exist: closed, or 503 for HTTP. */
    MISSING_CLUSTER(Verdict.DENY),
    /**
     * The bytes are not what the network filter expects, for example TLS into an HTTP connection
     * manager.
     */
    PROTOCOL_ERROR(Verdict.DENY),
    /**
     * Envoy answered the HTTP request itself: a direct response, 404 for no route, 426 for
     * HTTP/1.0.
     */
    HTTP_RESPONSE(Verdict.DENY),
    /**
     * The cluster has no host for the connection: a dynamic forward proxy without a name to resolve
     * (a TLS connection without SNI), which closes the connection or answers a request with 503.
     */
    NO_UPSTREAM_HOST(Verdict.DENY),
    /** Envoy would reject the listener (NACK), for example for overlapping filter-chain matches. */
    LISTENER_REJECTED(Verdict.DENY),
    /**
     * Audit mode: forwarded (to the dialed address) and flagged: an audit log on its path records
     * it as {@code would-deny}, traffic the policy does not allow. {@link Verdict#ALLOW}, as the
     * connection does reach its destination; {@link Decision#verdictUnderEnforcement()} is {@link
     * Verdict#DENY}.
     */
    AUDITED(Verdict.ALLOW);

    private final Verdict verdict;

    Outcome(Verdict verdict) {
      this.verdict = verdict;
    }

    /**
     * Whether this outcome lets the connection reach a cluster.
     *
     * @return {@link Verdict#ALLOW} for {@link #PASSTHROUGH} and {@link #FORWARDED}, else {@link
     *     Verdict#DENY}
     */
    public Verdict verdict() {
      return verdict;
    }
  }
}
