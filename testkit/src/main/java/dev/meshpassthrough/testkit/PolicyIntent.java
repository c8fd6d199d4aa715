package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.testkit.internal.MatchCoverage;

/**
 * What a MeshPassthrough conf means for a connection, independent of Envoy: the reference the
 * simulated Envoy decision is compared with.
 *
 * <p>Mode {@code All} allows everything and {@code None} nothing. {@code Matched} (also when the
 * mode is absent) allows a connection exactly when some {@code appendMatch} entry covers it:
 *
 * <ul>
 *   <li>port: an absent port means any port;
 *   <li>address: an IP covers the equal address (canonical form, either family), a CIDR every
 *       address it contains (host bits ignored); a Domain is judged by the SNI or Host only, the
 *       dialed address does not matter;
 *   <li>protocol {@code tcp}: any connection to the address and port, whatever it carries ("at TCP
 *       level ... hijack whole traffic on this port"); {@code mysql}: the same, for a server-first
 *       protocol; {@code tls}: a TLS ClientHello whose SNI equals the domain, or for {@code
 *       *.example.com} ends in {@code .example.com} (not the apex), ignoring case, and any or no
 *       SNI for an IP or CIDR; {@code http}, {@code http2}, {@code grpc}: plaintext HTTP/1.0,
 *       HTTP/1.1 or h2c whose Host (without port) matches the domain as SNI does, and any Host for
 *       an IP or CIDR. A Domain with {@code tcp} or {@code mysql}, which validation rejects, covers
 *       a connection whose SNI or Host names the domain.
 * </ul>
 *
 * <p>Requests without a Host (HTTP/1.1 without {@code Host}, h2c without {@code :authority},
 * HTTP/1.0 without {@code Host}) are covered by {@code tcp} and {@code mysql} rules and by {@code
 * http}, {@code http2} and {@code grpc} IP and CIDR rules of their address, never by a Domain rule:
 * the exact profile forwards them where such a rule covers the address, without parsing requests,
 * and where only Domain rules apply Envoy's HTTP connection manager refuses them by design (400
 * {@code missing_host_header} for HTTP/1.1, a reset for h2c, the 503 of the catch-all virtual host
 * for HTTP/1.0), which is a deny, as intended.
 *
 * <p>What the intent does not model, and the exact profile therefore does not promise: how long a
 * connection takes (a server-first client behind a {@code tcp} or {@code mysql} CIDR rule of more
 * than 16 addresses, or a port-less rule on a port no rule names, where the TLS and HTTP inspectors
 * must run, passes only after {@code listener_filters_timeout}, 15 s by default, and so does one
 * behind an IP rule on a proxy whose inbound passthrough listener forbids the hand-off; see {@link
 * Decision#waitedForListenerFiltersTimeout()}), and what the HTTP connection manager of a Domain
 * rule's chain refuses beyond the Host (headers over 60 KiB get 431, an {@code Upgrade} request
 * such as a WebSocket gets 403). Requests that only an IP or CIDR rule, or a {@code tcp} rule,
 * covers are forwarded as bytes and meet neither limit.
 *
 * <p>Where an allowed connection may go ({@link Intent#upstreams()}) depends on the {@link
 * DomainPinning} the intent is built with; pinning never changes the verdict. Each covering entry
 * names one acceptable upstream (duplicates removed, sorted by kind, host and port):
 *
 * <ul>
 *   <li>an IP or CIDR entry, and a Domain entry the pinning leaves alone: the address and port the
 *       client dialed ({@link Upstream#dialed});
 *   <li>under {@link DomainPinning#DNS}, a non-wildcard Domain entry with a port: the entry's
 *       domain on the entry's port ({@link Upstream#dnsName}); wildcard and port-less entries keep
 *       the dialed address;
 *   <li>under {@link DomainPinning#DYNAMIC}, every Domain entry except a wildcard whose last label
 *       is all digits (a name it matches can be an IPv4 literal, such as {@code 10.0.0.1} for
 *       {@code *.0.1}): the name the client sent (the SNI for TLS, the Host without its port for
 *       HTTP), lower-cased, on the port the client dialed.
 * </ul>
 *
 * <p>Mode {@code All} lets a connection go to the dialed address; a denied connection has no
 * upstream. {@link DomainPinning#OFF} therefore lists only the dialed address.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface PolicyIntent {

  /**
   * The intent of {@code conf} without pinning ({@link DomainPinning#OFF}): allowed connections go
   * to the dialed address.
   *
   * @param conf the effective conf of one proxy, not null
   * @return an immutable, thread-safe intent, never null
   */
  static PolicyIntent of(PassthroughConf conf) {
    return MatchCoverage.intentOf(conf);
  }

  /**
   * The intent of {@code conf} when the translator pins Domain entries with {@code pinning}: the
   * same verdicts as {@link #of(PassthroughConf)}, with the upstreams the pinning allows.
   *
   * @param conf the effective conf of one proxy, not null
   * @param pinning where Domain entries send their traffic, not null
   * @return an immutable, thread-safe intent, never null
   * @throws NullPointerException when an argument is null
   */
  static PolicyIntent of(PassthroughConf conf, DomainPinning pinning) {
    return MatchCoverage.intentOf(conf, pinning);
  }

  /**
   * What the conf means for {@code connection}; {@link Intent#coveringEntries()} lists every
   * covering entry.
   *
   * @param connection the connection the application opens, not null
   * @return the verdict with the covering entries and the reason, never null
   */
  Intent judge(Connection connection);
}
