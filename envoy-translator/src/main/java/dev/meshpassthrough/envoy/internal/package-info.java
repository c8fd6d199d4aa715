/**
 * The implementation of {@code dev.meshpassthrough.envoy} and what its two profiles share: the
 * factory that picks a profile's translator, the names and texts written, Envoy's filter names and
 * type URLs, the proxy's resources while a translation changes them and the bound on their size,
 * the one decision on traffic no rule allows, the passthrough clusters, the proto3 JSON codec and
 * the reader of proxy contexts. The profiles live in {@code kuma} and {@code exact}, which do not
 * depend on each other. Not an API: its public types serve the public package and the profile
 * packages.
 */
@NullMarked
package dev.meshpassthrough.envoy.internal;

import org.jspecify.annotations.NullMarked;
