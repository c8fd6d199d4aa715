package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.resolve.KumaLine;
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
   * @param line the Kuma line whose plugin to reproduce: {@link KumaLine#V3} pins domains and drops
   *     conflicting matches with warnings
   * @return a stateless, thread-safe translator
   */
  public static PassthroughTranslator translator(
      Naming naming, long maxOutputBytes, Unmatched unmatched, KumaLine line) {
    return KumaPassthroughTranslator.create(naming, maxOutputBytes, unmatched, line);
  }
}
