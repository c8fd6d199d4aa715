/**
 * Validation of MeshPassthrough documents: every rule of Kuma's validator with its field path and
 * message, plus meshpassthrough's own rules for combinations that cannot work. Validation is the
 * only road from an as-written {@link dev.meshpassthrough.core.document.PolicyDocument} to a typed
 * {@link dev.meshpassthrough.core.model.MeshPassthroughPolicy}.
 */
@NullMarked
package dev.meshpassthrough.validation;

import org.jspecify.annotations.NullMarked;
