/**
 * A real Envoy as the judge: {@link dev.meshpassthrough.testkit.envoy.RealEnvoy} runs one Envoy
 * process on loopback, loads listeners and clusters into it without restarting it (and reports
 * whether Envoy accepted them, with Envoy's own rejection text), and runs a {@link
 * dev.meshpassthrough.testkit.Connection} through it, answering with the same {@link
 * dev.meshpassthrough.testkit.Decision} type as the simulator. {@link
 * dev.meshpassthrough.testkit.envoy.EnvoyBinary} finds (or installs) the binary.
 */
@NullMarked
package dev.meshpassthrough.testkit.envoy;

import org.jspecify.annotations.NullMarked;
