/**
 * Test MeshPassthrough policies offline: {@link dev.meshpassthrough.testkit.EnvoySimulator} says
 * what Envoy does with a {@link dev.meshpassthrough.testkit.Connection} under the listeners and
 * clusters of a translation, {@link dev.meshpassthrough.testkit.PolicyIntent} says what the policy
 * means for it, independent of Envoy, and {@link dev.meshpassthrough.testkit.PolicyAssertions}
 * turns both into fluent JUnit 5 / AssertJ assertions whose failures print Envoy's decision trace.
 */
@NullMarked
package dev.meshpassthrough.testkit;

import org.jspecify.annotations.NullMarked;
