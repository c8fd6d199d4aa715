/**
 * The {@code meshpassthrough} command line: validate, resolve, translate, explain, replay and diff
 * MeshPassthrough policies (against an operator's guardrails with {@code --guardrails}), serve them
 * over xDS, suggest one from observed connections, audit which proxies receive passthrough through
 * untrusted labels ({@code audit-labels}), and lint Envoy resources. Exit codes: 0 success, 1 the
 * input is invalid (for {@code lint}: has problems), 2 the input could not be read, the command was
 * misused or a real Envoy was asked for and none could be found or run, 3 ({@code explain}) the
 * policy's intent and the Envoy (simulated, real, or both) disagree, 4 a gate failed ({@code replay
 * --fail-on-deny}: Envoy would deny an observed connection; {@code diff --fail-on}: the new
 * policies widen, or change, the egress; {@code audit-labels}: a proxy receives passthrough through
 * untrusted labels only).
 */
@NullMarked
package dev.meshpassthrough.cli;

import org.jspecify.annotations.NullMarked;
