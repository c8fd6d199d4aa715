/**
 * Operator guardrails for MeshPassthrough: a {@code MeshPassthroughGuardrails} file of rules that
 * policies must respect beyond Kuma's validation (where passthroughMode {@code All} may be used,
 * how wide a network may be, which networks, domains and protocols are off limits, how many entries
 * a policy or a proxy may have, which labels may select proxies), checked on each policy and on the
 * merged conf of each proxy, with findings as {@link dev.meshpassthrough.validation.Violation}s and
 * {@link dev.meshpassthrough.core.Problem}s of rule ids {@code guardrail.*}.
 */
@NullMarked
package dev.meshpassthrough.validation.guardrails;

import org.jspecify.annotations.NullMarked;
