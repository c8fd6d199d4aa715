/**
 * How resolution works inside: the label attributes Kuma reads, the selection gates and kind tests,
 * the per-mesh index of a policy set, the precedence keys and the outcome rules. Not API.
 */
@NullMarked
package dev.meshpassthrough.core.resolve.internal;

import org.jspecify.annotations.NullMarked;
