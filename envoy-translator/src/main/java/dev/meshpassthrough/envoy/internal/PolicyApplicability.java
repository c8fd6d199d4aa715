package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.envoy.ProxyContext;

/**
 * Whether a MeshPassthrough policy applies to a proxy at all, as Kuma decides it: only a proxy that
 * runs a transparent proxy, and does not bind its outbounds, has an outbound passthrough to change.
 * Both profiles ask here, once per translation; the decision itself is core's ({@link
 * ProxyDescriptor.Applicability#of}, on the proxy's {@link ProxyDescriptor#outbound()}), the one
 * selection makes too.
 */
public final class PolicyApplicability {
  private PolicyApplicability() {}

  /**
   * Whether the policy applies to {@code proxy}; notes why not on {@code resources} when it does
   * not.
   *
   * @param proxy the proxy
   * @param resources the translation's resources, which get the note
   * @return true when the policy applies
   */
  public static boolean appliesTo(ProxyContext proxy, ResourceSet resources) {
    ProxyDescriptor.Applicability applicability =
        ProxyDescriptor.Applicability.of(proxy.selection().proxy().outbound());
    if (!applicability.applies()) {
      resources.note(
          TranslationRules.note(
              TranslationRules.PROXY_NOT_APPLICABLE,
              "policy not applied: " + applicability.reason()));
    }
    return applicability.applies();
  }
}
