/**
 * The as-written layer: policy documents exactly as a user wrote them, invalid values included (raw
 * strings for enum-like fields, ports of any size), with the source location of every field, so
 * that validation can say precisely what is wrong and where.
 */
@NullMarked
package dev.meshpassthrough.core.document;

import org.jspecify.annotations.NullMarked;
