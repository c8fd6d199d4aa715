package dev.meshpassthrough.testkit.envoy;

/**
 * No Envoy binary could be found or installed. The message says where the lookup went and how to
 * provide one: {@code ENVOY_BIN}, the {@code scripts/install-envoy} script, or the build's explicit
 * opt-out {@code -DskipRealEnvoy=true}.
 */
public final class EnvoyNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * With the full explanation.
   *
   * @param message where the lookup went and how to provide a binary, not null
   */
  public EnvoyNotFoundException(String message) {
    super(message);
  }
}
