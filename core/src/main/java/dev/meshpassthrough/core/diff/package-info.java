/**
 * What a change of policies does to a proxy's egress: {@link
 * dev.meshpassthrough.core.diff.EgressDiff} compares the intent of two confs exactly (not by
 * sampling) and reports the connections the new side newly allows or newly denies as {@link
 * dev.meshpassthrough.core.diff.EgressClass}es a person reads, plus the entries that have no
 * effect, so that a control plane or a CI job can show the impact of a change before applying it.
 */
@NullMarked
package dev.meshpassthrough.core.diff;

import org.jspecify.annotations.NullMarked;
