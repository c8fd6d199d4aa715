package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.envoy.ProxyContext;

/**
 * Whether a MeshPassthrough policy applies to a proxy at all, as Kuma decides it: only a proxy that
 * runs a transparent proxy, and does not bind its outbounds, has an outbound passthrough to change.
 * Both profiles ask here, once per translation.
 */
public final class PolicyApplicability {
  private PolicyApplicability() {}

  /**
   * Whether the policy applies to {@code proxy}; notes why not on {@code resources} when it does not.
   *
   * @param proxy the proxy
   * @param resources the translation's resources, which get the note
   * @return true when the policy applies
   */
  public static boolean appliesTo(ProxyContext proxy, ResourceSet resources) {
    if (!proxy.transparentProxyEnabled()) {
      resources.note(TranslationRules.note(TranslationRules.PROXY_NOT_APPLICABLE,
          "policy not applied: the proxy runs without a transparent proxy, so it has no outbound passthrough"));
      return false;
    }
    if (proxy.features().contains(ProxyContext.FEATURE_BIND_OUTBOUNDS)) {
      resources.note(TranslationRules.note(TranslationRules.PROXY_NOT_APPLICABLE,
          "policy not applied: the proxy has " + ProxyContext.FEATURE_BIND_OUTBOUNDS + ", so it has no outbound passthrough"));
      return false;
    }
    return true;
  }
}
