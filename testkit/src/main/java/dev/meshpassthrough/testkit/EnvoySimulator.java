package dev.meshpassthrough.testkit;

import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.internal.ProtoEnvoySimulator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Collection;

/**
 * Says, offline, what Envoy does with a connection under a set of listeners and clusters, and why.
 *
 * <p>The simulated path, in Envoy's order:
 *
 * <ol>
 *   <li>The transparent proxy redirects the connection to the outbound listener of its address
 *       family: a listener with {@code use_original_dst} on {@code 0.0.0.0} or {@code [::]} (not
 *       {@code INBOUND}; {@code OUTBOUND} and port 15001 preferred).
 *   <li>Listener filters in order, each unless its {@code filter_disabled} predicate holds for the
 *       local port at that moment: {@code original_dst} restores the dialed address (Envoy appends
 *       one last when the listener has {@code use_original_dst} and none is listed); {@code
 *       tls_inspector} reads SNI and ALPN from a ClientHello; {@code http_inspector} sets {@code
 *       http/1.0}, {@code http/1.1} or {@code h2c}. An enabled inspector facing a server-first
 *       client waits until {@code listener_filters_timeout} (15 s by default) and the connection is
 *       closed, unless {@code continue_on_listener_filters_timeout}.
 *   <li>With {@code use_original_dst}, a listener bound to the dialed address, or to the family's
 *       wildcard address on the dialed port, takes the connection over.
 *   <li>Filter-chain selection: the Matcher API ({@code filter_chain_matcher}) when set, else
 *       legacy {@code filter_chain_match} (destination port, destination IP, server names,
 *       transport protocol, application protocols, then the source criteria; the most specific
 *       branch at each level and no backtracking); {@code default_filter_chain} when nothing
 *       matches.
 *   <li>Network filters: {@code tcp_proxy} (cluster or weighted clusters) or the HTTP connection
 *       manager (virtual host by Envoy's order: exact, longest {@code *suffix}, longest {@code
 *       prefix*}, {@code *}; case-insensitive; the Host port as sent), its first matching route,
 *       then a cluster or a direct response.
 *   <li>Clusters: {@code ORIGINAL_DST} is passthrough to the dialed address; a missing cluster
 *       fails the connection (or the request, with 503).
 * </ol>
 *
 * <p>The Matcher API is evaluated as Envoy does since its 2025 matcher rework: a {@code
 * matcher_list} entry whose nested matcher finds nothing lets the next entry try, and so does an
 * {@code exact_match_map} key, whose miss falls back to the map's {@code on_no_match}.
 *
 * <p>Implementations are immutable and thread-safe; decisions and traces are deterministic.
 */
public interface EnvoySimulator {

  /**
   * A simulator of the given resources. Listeners and clusters are indexed once; a cluster name
   * that repeats keeps the first.
   *
   * @param listeners the listeners Envoy holds, in any order; not null, nor any element
   * @param clusters the clusters Envoy holds, in any order; not null, nor any element
   * @return an immutable, thread-safe simulator, never null
   * @throws NullPointerException when an argument is null
   */
  static EnvoySimulator of(Collection<Listener> listeners, Collection<Cluster> clusters) {
    return ProtoEnvoySimulator.create(listeners, clusters);
  }

  /**
   * A simulator of every listener and cluster of a translation.
   *
   * @param resources the translation whose listeners and clusters Envoy holds, not null
   * @return an immutable, thread-safe simulator, never null
   * @throws NullPointerException when {@code resources} is null
   */
  static EnvoySimulator of(TranslationResult resources) {
    return of(resources.listeners(), resources.clusters());
  }

  /**
   * What Envoy does with {@code connection}.
   *
   * @param connection the connection the application opens, not null
   * @return the decision, with its trace
   * @throws UnsupportedOperationException when the connection's path needs configuration the
   *     simulator does not model (for example routes from RDS, or an unknown matcher input); the
   *     message names it
   */
  Decision simulate(Connection connection);
}
