/**
 * The typed, always-valid policy model: enums for closed sets, a sealed {@link
 * dev.meshpassthrough.core.model.Destination}, a {@link dev.meshpassthrough.core.model.Port}
 * limited to 1-65535. Validation is the only road from the as-written documents of {@code
 * dev.meshpassthrough.core.document} to these types; selection, merge and translation take only
 * these.
 */
@NullMarked
package dev.meshpassthrough.core.model;

import org.jspecify.annotations.NullMarked;
