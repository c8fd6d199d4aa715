package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.internal.Selection;
import java.util.Collection;

/**
 * Selects, orders and merges the MeshPassthrough policies that apply to one proxy, as Kuma 2.x or
 * 3.x does (docs/selection-and-merge.md#selection through
 * docs/selection-and-merge.md#after-the-merge), and says what the proxy's non-mesh traffic gets.
 *
 * <p>Stateless and thread-safe. Takes validated, typed policies in stored form (their labels
 * include those Kuma computes on admission: {@code kuma.io/origin}, {@code kuma.io/display-name},
 * {@code kuma.io/zone}, {@code k8s.kuma.io/namespace}, {@code kuma.io/policy-role}). The result
 * does not depend on the order of the policies: precedence is a total order, ending with the core
 * name where Kuma leaves ties open.
 */
public interface PolicyResolver {

  /**
   * The resolver.
   *
   * @return the shared resolver, stateless and thread-safe
   */
  static PolicyResolver create() {
    return DefaultPolicyResolver.INSTANCE;
  }

  /**
   * Resolves one proxy against an indexed set of policies.
   *
   * @param policies every policy the control plane stores, of every mesh; only those of the proxy's
   *     mesh are considered; never null
   * @param proxy the proxy to resolve, never null
   * @param context the control plane, whose Kuma line decides the rules; never null
   * @return the applied policies in precedence order, the merged and effective confs, the outcome
   *     and the warnings; the same for equal inputs
   * @throws IllegalArgumentException when the proxy cannot exist under the context's Kuma line (a
   *     builtin gateway under Kuma 3.x)
   */
  Resolution resolve(PolicySet policies, ProxyDescriptor proxy, ControlPlaneContext context);

  /**
   * Resolves one proxy against {@code policies}, indexing them first; prefer {@link
   * #resolve(PolicySet, ProxyDescriptor, ControlPlaneContext)} for many proxies.
   *
   * @param policies every policy the control plane stores, in any order; never null
   * @param proxy the proxy to resolve, never null
   * @param context the control plane, whose Kuma line decides the rules; never null
   * @return the resolution, as {@link #resolve(PolicySet, ProxyDescriptor, ControlPlaneContext)}
   *     gives it for {@code PolicySet.of(policies)}
   * @throws IllegalArgumentException when two policies of one mesh share a core name, or as {@link
   *     #resolve(PolicySet, ProxyDescriptor, ControlPlaneContext)}
   */
  default Resolution resolve(
      Collection<MeshPassthroughPolicy> policies,
      ProxyDescriptor proxy,
      ControlPlaneContext context) {
    return resolve(PolicySet.of(policies), proxy, context);
  }

  /**
   * Whether the resolution of {@code proxy} depends on {@code policy}: the policy selects the
   * proxy, or resolving the proxy says something about it (a warning such as Kuma 3.x's unresolved
   * {@code MeshSubset}). A resolution is a function of the policies that involve the proxy: a
   * policy that does not involve it may be added, changed or removed without changing its
   * resolution. A control plane keeps a reverse index with it, to resolve again only the proxies a
   * policy change touches.
   *
   * @param policy the policy, never null
   * @param proxy the proxy, never null
   * @param context the control plane, whose Kuma line decides the rules; never null
   * @return true when {@link #resolve} of a set holding the policy lists it among the applied
   *     policies or names it in a warning
   */
  static boolean involves(
      MeshPassthroughPolicy policy, ProxyDescriptor proxy, ControlPlaneContext context) {
    boolean[] warned = {false};
    boolean selects =
        Selection.why(policy, proxy, context.line(), w -> warned[0] = true).isPresent();
    return selects || warned[0];
  }
}
