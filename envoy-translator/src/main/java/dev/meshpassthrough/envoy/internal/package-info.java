/**
 * The implementation of {@code dev.meshpassthrough.envoy}: Kuma's ordering of filter-chain
 * matchers, the builders of chains, listeners and clusters, the proto3 JSON codec and the reader of
 * proxy contexts. Not an API: only the entry points the public package calls are public.
 */
@NullMarked
package dev.meshpassthrough.envoy.internal;

import org.jspecify.annotations.NullMarked;
