package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.Unmatched;

/** The exact profile's entry point: its translator, behind the interface. */
public final class ExactProfile {
  private ExactProfile() {}

  /**
   * The translator of the exact profile.
   *
   * @param naming the names and texts to write, the 503 body among them
   * @param encoding how chains are selected: legacy filter_chain_match or the Matcher API
   * @param maxOutputBytes the bound on the encoded size of what one translation builds, at least 1
   * @param unmatched what happens to traffic no rule allows
   * @param pinning where the traffic of Domain entries goes
   * @param auditLogPath where Envoy writes the audit log under {@link Unmatched#AUDIT}
   * @return a stateless, thread-safe translator
   */
  public static PassthroughTranslator translator(
      Naming naming,
      Encoding encoding,
      long maxOutputBytes,
      Unmatched unmatched,
      DomainPinning pinning,
      String auditLogPath) {
    return ExactPassthroughTranslator.create(
        naming, encoding, maxOutputBytes, unmatched, pinning, auditLogPath);
  }
}
