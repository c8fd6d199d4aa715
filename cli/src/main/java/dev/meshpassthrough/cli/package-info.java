/**
 * The {@code meshpassthrough} command line: validate, resolve, translate and explain
 * MeshPassthrough policies. Exit codes: 0 success, 1 the input is invalid, 2 the input could not be
 * read or the command was misused, 3 ({@code explain}) the policy's intent and the simulated Envoy
 * disagree.
 */
@NullMarked
package dev.meshpassthrough.cli;

import org.jspecify.annotations.NullMarked;
