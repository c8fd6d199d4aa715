package dev.meshpassthrough.envoy.internal.kuma;

/**
 * A domain that an aggregated HTTP chain routes by Host header: one virtual host.
 *
 * @param matchType {@link ChainMatchType#DOMAIN} or {@link ChainMatchType#WILDCARD_DOMAIN}
 * @param value the domain as written
 */
record VirtualHostRoute(ChainMatchType matchType, String value) {}
