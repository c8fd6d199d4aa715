/**
 * The real-Envoy harness's internals: the probe rewrite, the loopback sink, the client, the
 * access-log reader.
 */
@NullMarked
package dev.meshpassthrough.testkit.envoy.internal;

import org.jspecify.annotations.NullMarked;
