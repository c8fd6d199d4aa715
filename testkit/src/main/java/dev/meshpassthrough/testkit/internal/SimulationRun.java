package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import dev.meshpassthrough.testkit.Upstream;
import dev.meshpassthrough.testkit.Verdict;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state of one simulation: the trace, how far the connection got, and the decision once made.
 */
final class SimulationRun {
  final Tracer trace = new Tracer();
  Optional<String> listener = Optional.empty();
  Optional<String> chain = Optional.empty();
  Optional<String> virtualHost = Optional.empty();
  Optional<String> cluster = Optional.empty();
  Optional<String> clusterType = Optional.empty();
  OptionalInt httpStatus = OptionalInt.empty();
  boolean waitedForListenerFiltersTimeout;
  Optional<Upstream> upstream = Optional.empty();

  /** Whether an audit log on the path writes a would-deny line ({@link AuditLogModel}). */
  boolean auditLogged;

  /** What the set_filter_state and dynamic forward proxy filters left for the cluster. */
  final ForwardState forward = new ForwardState();

  private Optional<Decision> decision = Optional.empty();

  /**
   * Ends the run with {@code outcome}; returns empty so that stages can {@code return
   * run.stop(...)}.
   */
  <T> Optional<T> stop(Outcome given, String reason) {
    if (decision.isPresent()) {
      throw new IllegalStateException("the run has already ended: " + decision.get());
    }
    // Audit mode: forwarded all the same, and the audit log records it as a would-be denial.
    boolean audited = auditLogged && given.verdict() == Verdict.ALLOW;
    Outcome outcome = audited ? Outcome.AUDITED : given;
    String why = audited ? reason + ", logged as would-deny" : reason;
    trace.addTop(Stage.RESULT, "=> " + outcome.verdict() + " (" + outcome + "): " + why);
    decision =
        Optional.of(
            new Decision(
                outcome,
                why,
                listener,
                chain,
                virtualHost,
                cluster,
                clusterType,
                httpStatus,
                trace.steps(),
                waitedForListenerFiltersTimeout,
                outcome.verdict() == Verdict.ALLOW ? upstream : Optional.empty()));
    return Optional.empty();
  }

  /** The decision; only after {@link #stop}. */
  Decision decision() {
    return decision.orElseThrow(() -> new IllegalStateException("the run has not ended"));
  }
}
