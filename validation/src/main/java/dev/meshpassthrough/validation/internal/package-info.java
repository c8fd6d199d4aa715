/** The rules behind {@link dev.meshpassthrough.validation.PolicyValidator}; not API. */
@NullMarked
package dev.meshpassthrough.validation.internal;

import org.jspecify.annotations.NullMarked;
