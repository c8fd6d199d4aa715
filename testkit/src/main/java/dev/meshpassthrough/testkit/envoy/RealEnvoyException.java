package dev.meshpassthrough.testkit.envoy;

import org.jspecify.annotations.Nullable;

/**
 * The real Envoy failed the harness: it did not start, did not answer within the harness's bounded
 * waits, died, or was handed a configuration the probe cannot run safely. The message carries the
 * tail of Envoy's own log where there is one.
 */
public final class RealEnvoyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * With a message.
   *
   * @param message what failed, with the tail of Envoy's log where there is one; not null
   */
  public RealEnvoyException(String message) {
    super(message);
  }

  /**
   * With a message and the cause.
   *
   * @param message what failed, with the tail of Envoy's log where there is one; not null
   * @param cause the exception behind the failure, or null when there is none
   */
  public RealEnvoyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
