package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.Collection;

/**
 * Selects, orders and merges the MeshPassthrough policies that apply to one proxy, as Kuma 2.x or
 * 3.x does (docs/selection-and-merge.md#selection through
 * docs/selection-and-merge.md#after-the-merge), and says what the proxy's non-mesh traffic gets.
 *
 * <p>Stateless and thread-safe. Takes validated, typed policies in stored form (their labels include
 * those Kuma computes on admission: {@code kuma.io/origin}, {@code kuma.io/display-name}, {@code
 * kuma.io/zone}, {@code k8s.kuma.io/namespace}, {@code kuma.io/policy-role}). The result does not
 * depend on the order of the policies: precedence is a total order, ending with the core name
 * where Kuma leaves ties open.
 */
public interface PolicyResolver {

  /** The resolver. */
  static PolicyResolver create() {
    return DefaultPolicyResolver.INSTANCE;
  }

  /**
   * Resolves one proxy against an indexed set of policies.
   *
   * @throws IllegalArgumentException when the proxy cannot exist under the context's Kuma line (a
   *     builtin gateway under Kuma 3.x)
   */
  Resolution resolve(PolicySet policies, ProxyDescriptor proxy, ControlPlaneContext context);

  /**
   * Resolves one proxy against {@code policies}, indexing them first; prefer {@link
   * #resolve(PolicySet, ProxyDescriptor, ControlPlaneContext)} for many proxies.
   *
   * @throws IllegalArgumentException when two policies of one mesh share a core name, or as {@link
   *     #resolve(PolicySet, ProxyDescriptor, ControlPlaneContext)}
   */
  default Resolution resolve(Collection<MeshPassthroughPolicy> policies, ProxyDescriptor proxy, ControlPlaneContext context) {
    return resolve(PolicySet.of(policies), proxy, context);
  }
}
