/**
 * JMH benchmarks of meshpassthrough: parse and validate, resolve, translate (with the cost of
 * merely constructing and serializing the emitted protos as the limit to compare against) and the
 * translation cache, on deterministically generated policies. {@link
 * dev.meshpassthrough.benchmarks.SuiteReport} runs them and prints ratios and growth exponents.
 */
@NullMarked
package dev.meshpassthrough.benchmarks;

import org.jspecify.annotations.NullMarked;
