package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.Unmatched;

/** The kuma profile's entry point: its translator, behind the interface. */
public final class KumaProfile {
  private KumaProfile() {}

  /**
   * The translator that writes Kuma's chains, names and texts.
   *
   * @param naming the names and texts to write ({@code Naming.KUMA})
   * @param maxOutputBytes the bound on the encoded size of what one translation builds, at least 1
   * @param unmatched what happens to traffic no rule allows
   * @return a stateless, thread-safe translator
   */
  public static PassthroughTranslator translator(
      Naming naming, long maxOutputBytes, Unmatched unmatched) {
    return KumaPassthroughTranslator.create(naming, maxOutputBytes, unmatched);
  }
}
