package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.internal.TranslatorFactory;

/**
 * Turns the effective MeshPassthrough conf of one proxy into the Envoy listeners and clusters of
 * that proxy.
 *
 * <p>Implementations are stateless, immutable and safe to share across threads. Translation is a
 * pure function of its arguments: the same conf and context give equal results, and the order of
 * {@code appendMatch} entries changes neither the resources nor the notes (only the entry indexes
 * that {@link TranslationException} messages cite).
 *
 * <p>What the {@link TranslationProfile#KUMA} profile does, by {@code passthroughMode}:
 *
 * <ul>
 *   <li>{@code All}: nothing changes; {@code appendMatch} is ignored.
 *   <li>{@code None}: the default passthrough clusters ({@code
 *       self_transparentproxy_passthrough_outbound_ipv4}/{@code _ipv6}) are removed; listeners
 *       stay.
 *   <li>{@code Matched} (also when the mode is unset): the default passthrough clusters are removed
 *       and, when {@code appendMatch} is not empty, the outbound passthrough listeners are rebuilt
 *       with one filter chain per match and one {@code ORIGINAL_DST} cluster per chain destination.
 * </ul>
 *
 * <p>When the proxy does not run a transparent proxy, or binds its outbounds ({@code
 * feature-bind-outbounds}), the policy does not apply: the resources come back unchanged with a
 * note.
 */
public interface PassthroughTranslator {

  /**
   * A translator with the given options.
   *
   * @param options the profile, encoding, 503 body and output bound
   * @return a stateless, thread-safe translator of that profile
   * @throws NullPointerException when {@code options} is null
   */
  static PassthroughTranslator create(TranslatorOptions options) {
    return TranslatorFactory.create(options);
  }

  /**
   * A translator with {@link TranslatorOptions#defaults()}.
   *
   * @return a stateless, thread-safe translator of the {@link TranslationProfile#EXACT} profile,
   *     never null
   */
  static PassthroughTranslator create() {
    return create(TranslatorOptions.defaults());
  }

  /**
   * Applies the effective conf of one proxy to its resources.
   *
   * @param effectiveConf the proxy's conf: one policy's {@code default}, or the merge of every
   *     policy that selects the proxy
   * @param proxy the proxy and its resources before the policy applies
   * @return every listener and cluster of the proxy afterwards, each sorted by name, with notes
   * @throws TranslationException when the conf cannot be turned into configuration Envoy accepts,
   *     for example http and http2 on the same port; its {@link TranslationException#problems()}
   *     say why
   */
  TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy);
}
