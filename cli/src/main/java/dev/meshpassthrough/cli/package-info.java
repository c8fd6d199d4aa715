/**
 * The {@code meshpassthrough} command line: validate, resolve, translate, explain and replay
 * MeshPassthrough policies, suggest one from observed connections, serve them over xDS, and lint
 * Envoy resources. Exit codes: 0 success, 1 the input is invalid (for {@code lint}: has problems),
 * 2 the input could not be read, the command was misused or a real Envoy was asked for and none
 * could be found or run, 3 ({@code explain}) the policy's intent and the Envoy (simulated, real, or
 * both) disagree, 4 ({@code replay --fail-on-deny}) Envoy would deny an observed connection.
 */
@NullMarked
package dev.meshpassthrough.cli;

import org.jspecify.annotations.NullMarked;
