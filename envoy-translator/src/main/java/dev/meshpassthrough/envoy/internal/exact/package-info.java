/**
 * The {@code EXACT} profile: Envoy's decision equals the policy's intent for every connection. The
 * planner of the legacy decision table and its leaves, the planner and encoder of the matcher
 * encoding, the chain and listener-filter factories, the hand-off of server-first ports, and the
 * translator that applies them to a proxy's resources. Not an API: only the translator is public,
 * for the profile factory.
 */
@NullMarked
package dev.meshpassthrough.envoy.internal.exact;

import org.jspecify.annotations.NullMarked;
