/**
 * The implementation of the testkit: Envoy's listener filters, filter-chain selection (legacy
 * {@code filter_chain_match} and the Matcher API), network filters, virtual-host selection and
 * clusters, each in small steps in Envoy's order, and the policy's intent. Not API.
 */
@NullMarked
package dev.meshpassthrough.testkit.internal;

import org.jspecify.annotations.NullMarked;
