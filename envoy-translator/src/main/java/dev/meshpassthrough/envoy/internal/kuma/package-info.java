/**
 * The {@code KUMA} profile: Kuma's MeshPassthrough plugin, chain for chain and name for name.
 * Kuma's ordering of filter-chain matchers, the chain and listener-filter factories that write
 * them, the check for chains Envoy would reject as duplicates, and the translator that applies them
 * to a proxy's resources. Not an API: only the translator is public, for the profile factory.
 */
@NullMarked
package dev.meshpassthrough.envoy.internal.kuma;

import org.jspecify.annotations.NullMarked;
