/**
 * The {@code meshpassthrough} command line: validate and translate MeshPassthrough policies. Exit
 * codes: 0 success, 1 the input is invalid, 2 the input could not be read or the command was
 * misused.
 */
@NullMarked
package dev.meshpassthrough.cli;

import org.jspecify.annotations.NullMarked;
