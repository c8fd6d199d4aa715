package dev.meshpassthrough.cli;

/** The {@code --envoy} choices of {@code explain} and {@code lint}: which Envoy judges. */
enum EnvoyMode {
  /** The simulator of the testkit: offline, with a trace. */
  simulated,
  /** A real Envoy process on loopback, found by {@code EnvoyBinary.find()}. */
  real,
  /** Both, compared ({@code explain} only). */
  both;

  /** Whether a real Envoy takes part. */
  boolean usesReal() {
    return this != simulated;
  }

  /** Whether the simulator takes part. */
  boolean usesSimulated() {
    return this != real;
  }
}
