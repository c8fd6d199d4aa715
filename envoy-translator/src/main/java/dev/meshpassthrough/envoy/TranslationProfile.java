package dev.meshpassthrough.envoy;

/** Whose behaviour a {@link PassthroughTranslator} reproduces. */
public enum TranslationProfile {
  /**
   * Kuma's output, chain for chain and name for name, as Kuma's own tests record it (Kuma commit
   * {@code 348b6528}), except that a policy Envoy would reject is reported as a {@link
   * TranslationException} instead of being emitted. Inherits Kuma's known limitations: Envoy
   * matches port, then IP, then SNI and never backtracks, so some allowed connections are closed
   * and some HTTP requests an IP rule allows get 503.
   */
  KUMA,
  /**
   * meshpassthrough's own output: Envoy's decision equals the policy's intent for every connection.
   * By default it is written with legacy {@code filter_chain_match}, so it works on every Envoy
   * version; {@link Encoding#MATCHER} writes the Matcher API instead (Envoy 1.22 or later).
   * Port-less rules are copied into every named port, rules into every IP node they contain, rules
   * meeting at one leaf are merged, HTTP/1.0 counts as HTTP, server-first traffic passes tcp rules
   * after the inspectors time out, and no listener refers to a removed cluster. The default.
   */
  EXACT
}
