/**
 * jqwik arbitraries for MeshPassthrough policies and for connections, published for users' own
 * property tests; {@link dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries} is the entry
 * point.
 */
@NullMarked
package dev.meshpassthrough.testkit.jqwik;

import org.jspecify.annotations.NullMarked;
