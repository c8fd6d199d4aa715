package dev.meshpassthrough.testkit.envoy;

import org.junit.jupiter.api.Assumptions;

/**
 * One real Envoy for every real-Envoy test of this JVM, started on first use and stopped when the
 * JVM exits. Without an Envoy the tests fail (EnvoyNotFoundException names ENVOY_BIN, the install
 * script and the opt-out); only {@code -DskipRealEnvoy=true} skips them, with a loud warning.
 */
final class SharedRealEnvoy {
  private static RealEnvoy envoy;

  private SharedRealEnvoy() {}

  static synchronized RealEnvoy get() {
    if (Boolean.getBoolean("skipRealEnvoy")) {
      System.err.println("""
          ************************************************************************
          WARNING: -DskipRealEnvoy=true: the real-Envoy suite does NOT run. Nothing
          this build says about Envoy has been checked against a real Envoy.
          ************************************************************************""");
      Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    if (envoy == null) {
      RealEnvoy started = RealEnvoy.start();
      System.err.println("real-Envoy suite: " + started.binary() + " (" + started.binary().versionLine() + ")");
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "meshpassthrough-shared-envoy-close"));
      envoy = started;
    }
    return envoy;
  }
}
