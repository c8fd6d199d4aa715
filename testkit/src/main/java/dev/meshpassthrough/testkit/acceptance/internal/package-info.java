/** The checks behind {@link dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance}; not API. */
@NullMarked
package dev.meshpassthrough.testkit.acceptance.internal;

import org.jspecify.annotations.NullMarked;
