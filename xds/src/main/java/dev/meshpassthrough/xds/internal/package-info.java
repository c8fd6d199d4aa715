/** Internals of the xDS module: ACK and NACK bookkeeping, the NACK-aware watcher. Not API. */
@NullMarked
package dev.meshpassthrough.xds.internal;

import org.jspecify.annotations.NullMarked;
