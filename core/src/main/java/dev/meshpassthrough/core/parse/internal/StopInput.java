package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.parse.ParseProblem;

/**
 * Reading one input cannot go on: its text is broken from some point on, or it went over a limit.
 * Carries the one problem to report; thrown inside the reader and caught at the input's edge.
 */
final class StopInput extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the input stopped. */
  enum Reason {
    /** The text is not YAML or JSON from here on. */
    SYNTAX,
    /** A {@link dev.meshpassthrough.core.parse.ParseLimits} bound was reached. */
    LIMIT
  }

  private final Reason reason;
  private final transient ParseProblem problem;

  StopInput(Reason reason, ParseProblem problem) {
    super(problem.message(), null, false, false);
    this.reason = reason;
    this.problem = problem;
  }

  Reason reason() {
    return reason;
  }

  ParseProblem problem() {
    return problem;
  }
}
