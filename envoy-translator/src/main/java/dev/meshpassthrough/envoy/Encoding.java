package dev.meshpassthrough.envoy;

/**
 * How the {@link TranslationProfile#EXACT} profile tells Envoy which filter chain takes a
 * connection. Both encodings give the same decision for every connection; they differ in the Envoy
 * versions that take them and in the size of the configuration.
 */
public enum Encoding {
  /**
   * {@code FilterChain.filter_chain_match}: the whole decision table (port, IP node, SNI,
   * transport, ALPN) written out as chains, since Envoy never backtracks. Every Envoy version takes
   * it. The default, and the only encoding of the {@link TranslationProfile#KUMA} profile.
   */
  LEGACY,
  /**
   * {@code Listener.filter_chain_matcher} ({@code xds.type.matcher.v3.Matcher}): one chain per rule
   * (one HTTP chain per port) chosen by an exact-match map on the destination port and, per port,
   * an ordered list whose entries each decide the match completely (IP rules most specific first,
   * then TLS server names, exact before wildcard, then HTTP), so that later entries catch what
   * earlier ones leave. Needs Envoy 1.22 or later; before 1.37 the field carries a work-in-progress
   * mark, which Envoy logs but accepts.
   */
  MATCHER
}
