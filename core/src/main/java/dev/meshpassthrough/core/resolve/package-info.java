/**
 * Selection, precedence and merge of the MeshPassthrough policies that apply to one proxy, as Kuma
 * 2.x and 3.x compute them: a {@link dev.meshpassthrough.core.resolve.PolicySet} indexes the
 * validated policies once, and a {@link dev.meshpassthrough.core.resolve.PolicyResolver} turns it,
 * a {@link dev.meshpassthrough.core.resolve.ProxyDescriptor} and a {@link
 * dev.meshpassthrough.core.resolve.ControlPlaneContext} into a {@link
 * dev.meshpassthrough.core.resolve.Resolution}: the applied policies weakest first, the merged and
 * the effective conf, and the outcome.
 */
@NullMarked
package dev.meshpassthrough.core.resolve;

import org.jspecify.annotations.NullMarked;
