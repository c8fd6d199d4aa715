package dev.meshpassthrough.testkit.envoy;

import org.junit.jupiter.api.Assumptions;

/**
 * One real Envoy for every real-Envoy test of this JVM, started on first use and stopped when the
 * JVM exits. Without an Envoy the tests fail (EnvoyNotFoundException names ENVOY_BIN, the install
 * script and the opt-out); only {@code -DskipRealEnvoy=true} skips them, with a loud warning.
 */
public final class SharedRealEnvoy {
  private static final java.util.List<RealEnvoy> ENVOYS = new java.util.ArrayList<>();

  private SharedRealEnvoy() {}

  /**
   * Whether {@code -DskipRealEnvoy=true} was given; says so loudly. For jqwik properties, where an
   * aborted try would count as a failure: they return at once instead.
   */
  public static boolean skipped() {
    if (!Boolean.getBoolean("skipRealEnvoy")) {
      return false;
    }
    System.err.println(
        """
        ************************************************************************
        WARNING: -DskipRealEnvoy=true: the real-Envoy suite does NOT run. Nothing
        this build says about Envoy has been checked against a real Envoy.
        ************************************************************************""");
    return true;
  }

  /** The first shared Envoy. */
  public static RealEnvoy get() {
    return get(0);
  }

  /**
   * The shared Envoy number {@code index} (0 or 1): tests that judge two configurations at once use
   * two.
   */
  public static synchronized RealEnvoy get(int index) {
    if (skipped()) {
      Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    while (ENVOYS.size() <= index) {
      RealEnvoy started = RealEnvoy.start();
      System.err.println(
          "real-Envoy suite: " + started.binary() + " (" + started.binary().versionLine() + ")");
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::close, "meshpassthrough-shared-envoy-close"));
      ENVOYS.add(started);
    }
    return ENVOYS.get(index);
  }
}
