/**
 * Shared vocabulary of meshpassthrough: field paths and source locations that tie every problem
 * report back to the text a user wrote.
 */
@NullMarked
package dev.meshpassthrough.core;

import org.jspecify.annotations.NullMarked;
