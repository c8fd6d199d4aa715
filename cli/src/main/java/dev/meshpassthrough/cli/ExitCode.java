package dev.meshpassthrough.cli;

/** The exit codes every command shares. */
public final class ExitCode {
  /** Success: the input is valid (warnings allowed). */
  public static final int OK = 0;

  /** The input was read but is invalid ({@code lint}: it has problems). */
  public static final int INVALID = 1;

  /**
   * The input could not be read or parsed, the command line was misused, or {@code --envoy real}
   * found no Envoy binary or could not run it.
   */
  public static final int UNREADABLE = 2;

  /** {@code explain}: the policy's intent and the Envoy (simulated, real, or both) disagree. */
  public static final int DISAGREE = 3;

  /**
   * A gate failed (a CI gate's failure, not an error): {@code replay --fail-on-deny}, Envoy would
   * deny at least one observed connection; {@code diff --fail-on widen|any}, the new policies allow
   * something the old ones did not, or decide anything differently; {@code audit-labels}, a proxy
   * receives passthrough through untrusted labels only.
   */
  public static final int DENIED = 4;

  private ExitCode() {}
}
