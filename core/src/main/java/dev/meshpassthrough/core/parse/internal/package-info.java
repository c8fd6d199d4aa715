/**
 * The implementation behind {@link dev.meshpassthrough.core.parse.PolicyParser}: Jackson's
 * streaming readers (YAML through SnakeYAML events, and JSON) build a small tree that knows the
 * line and column of every key and value, and binders turn that tree into the as-written document
 * records, collecting every problem instead of throwing. Nothing here is API; only {@link
 * dev.meshpassthrough.core.parse.internal.JacksonReader} (the reading the parser delegates to) and
 * the YAML tag check other readers share are public, for the factory.
 */
@NullMarked
package dev.meshpassthrough.core.parse.internal;

import org.jspecify.annotations.NullMarked;
