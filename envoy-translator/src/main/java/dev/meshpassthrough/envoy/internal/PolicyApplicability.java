package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
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

  /**
   * Whether the translation leaves every resource as it is, which both profiles decide alike: the
   * policy does not apply to the proxy, or the mode is {@code All} (its {@code appendMatch} is
   * ignored, with a warning). Notes why on {@code resources}.
   *
   * @param conf the effective conf
   * @param proxy the proxy
   * @param resources the translation's resources, which get the note
   * @return true when the resources stay as they are and the translation is done
   */
  public static boolean leavesResourcesAsTheyAre(
      PassthroughConf conf, ProxyContext proxy, ResourceSet resources) {
    if (!appliesTo(proxy, resources)) {
      return true;
    }
    if (conf.effectiveMode() != PassthroughMode.ALL) {
      return false;
    }
    int ignored = conf.matches().size();
    if (ignored > 0) {
      resources.note(
          TranslationRules.warning(
              TranslationRules.MODE_ALL_IGNORES_MATCHES,
              "passthroughMode All: every destination passes, the "
                  + ignored
                  + " appendMatch entries are ignored"));
    }
    return true;
  }
}
