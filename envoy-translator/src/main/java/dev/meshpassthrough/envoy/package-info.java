/**
 * Translation of a MeshPassthrough conf into Envoy v3 {@code Listener} and {@code Cluster}
 * resources for one proxy: {@link dev.meshpassthrough.envoy.PassthroughTranslator} takes the
 * effective conf of the proxy and its {@link dev.meshpassthrough.envoy.ProxyContext} (transparent
 * proxy settings and the resources that exist before the policy applies) and returns every listener
 * and cluster afterwards as a {@link dev.meshpassthrough.envoy.TranslationResult}, ready for
 * java-control-plane's {@code Snapshot}.
 */
@NullMarked
package dev.meshpassthrough.envoy;

import org.jspecify.annotations.NullMarked;
