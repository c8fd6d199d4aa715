/**
 * What the document records use but do not expose: the compact table of where each field of a
 * document was written, which the parser builds and {@link
 * dev.meshpassthrough.core.document.PolicyDocument} keeps without copying. Nothing here is API.
 */
@NullMarked
package dev.meshpassthrough.core.document.internal;

import org.jspecify.annotations.NullMarked;
