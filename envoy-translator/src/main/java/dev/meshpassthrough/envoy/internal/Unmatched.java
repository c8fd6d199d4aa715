package dev.meshpassthrough.envoy.internal;

import com.github.xds.type.matcher.v3.Matcher.OnMatch;
import com.google.protobuf.Any;
import dev.meshpassthrough.core.model.IpFamily;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.direct_response.v3.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What happens to traffic no rule of the policy allows: the one decision that every place writing
 * it asks, in both profiles and both encodings. The translators get it from the profile factory.
 *
 * <p>Each method is a switch over the constants, so that a new behaviour cannot compile until it
 * decides every place: the default passthrough clusters, the listeners' fallback chains, the
 * matcher's {@code on_no_match}, the only chain of a listener no rule applies to, and the last
 * virtual host of HTTP chains. What {@link #AUDIT} puts in those places is built by the exact
 * profile, which passes it in; this type decides whether it goes there.
 */
public enum Unmatched {
  /**
   * Refused: the default passthrough clusters go, a connection no chain takes is closed, an HTTP
   * request to a host no rule names gets 503.
   */
  DENY,
  /**
   * Forwarded to the dialed address through audit configuration and logged (exact profile only):
   * the default passthrough clusters go all the same (the audit clusters take their place), every
   * node of the legacy table is completed with audit chains ({@link #completesTable()}), so no
   * connection reaches a default chain; the matcher's {@code on_no_match}, the only chain and the
   * last virtual host are the audit ones given.
   */
  AUDIT;

  private static final int SERVICE_UNAVAILABLE = 503;

  /**
   * Handles the clusters of the transparent proxy's default passthrough, which would pass any
   * destination: {@link #DENY} removes them.
   *
   * @param resources the translation's resources
   * @return the names of the clusters removed, in the order of the families and names
   */
  public List<String> removeDefaultClusters(ResourceSet resources) {
    return switch (this) {
      case DENY, AUDIT -> {
        List<String> removed = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
          for (String name : Naming.passthroughNames(family)) {
            if (resources.removeCluster(name)) {
              removed.add(name);
            }
          }
        }
        yield removed;
      }
    };
  }

  /**
   * The {@code default_filter_chain} of a rebuilt listener that selects its chains with {@code
   * filter_chain_match}: what takes a connection no chain matches. {@link #DENY}: none, so Envoy
   * closes the connection (a default chain the listener already had is left as it is). {@link
   * #AUDIT}: none either, as the completed table leaves nothing to it (a default chain would hide a
   * gap in the completion instead of letting the proof find it).
   *
   * @param naming the names to write
   * @return the chain to set; empty to set none
   */
  public Optional<FilterChain> defaultChain(Naming naming) {
    return switch (this) {
      case DENY, AUDIT -> Optional.empty();
    };
  }

  /**
   * Whether every (port, IP node) of the exact profile's legacy table gets chains for the traffic
   * its entries do not take: {@link #AUDIT} only. Envoy never backtracks from a node, so the
   * completion must be at every node, not in a default chain.
   *
   * @return true for {@link #AUDIT}
   */
  public boolean completesTable() {
    return switch (this) {
      case DENY -> false;
      case AUDIT -> true;
    };
  }

  /**
   * The {@code on_no_match} of every list of a {@code filter_chain_matcher}, and of its port map
   * when no port-less list takes the other ports. {@link #DENY}: none, so what no entry takes is
   * closed. {@link #AUDIT}: {@code audit}, which leads to the audit chains of the list's port.
   *
   * @param audit the audit action, built only for {@link #AUDIT}
   * @return the action to set; empty to set none
   */
  public Optional<OnMatch> onNoMatch(Supplier<OnMatch> audit) {
    return switch (this) {
      case DENY -> Optional.empty();
      case AUDIT -> Optional.of(audit.get());
    };
  }

  /**
   * The only chain of a passthrough listener no rule applies to: Envoy needs a chain on a listener.
   * {@link #DENY}: one that closes every connection it gets with the network {@code
   * direct_response} filter (no bytes sent), a terminal filter that names no cluster, so nothing
   * refers to a cluster that does not exist. {@link #AUDIT}: {@code audit}, which forwards and logs
   * every connection.
   *
   * @param naming the names to write
   * @param audit the audit chain, built only for {@link #AUDIT}
   * @return the chain
   */
  public FilterChain onlyChain(Naming naming, Supplier<FilterChain> audit) {
    return switch (this) {
      case AUDIT -> audit.get();
      case DENY ->
          FilterChain.newBuilder()
              .setName(naming.denyChainName())
              .addFilters(
                  Filter.newBuilder()
                      .setName(EnvoyNames.DIRECT_RESPONSE)
                      .setTypedConfig(Any.pack(Config.getDefaultInstance())))
              .build();
    };
  }

  /**
   * The last virtual host of an HTTP chain that routes domains by Host: what answers a request to
   * any other host. {@link #DENY}: {@code domains: ["*"]} and a direct response 503 with the
   * naming's body. {@link #AUDIT}: {@code audit}, which forwards the request to the dialed address
   * on a route the chain's audit log recognises.
   *
   * @param naming the names and the 503 body to write
   * @param audit the audit virtual host, built only for {@link #AUDIT}
   * @return the virtual host
   */
  public VirtualHost lastVirtualHost(Naming naming, Supplier<VirtualHost> audit) {
    return switch (this) {
      case AUDIT -> audit.get();
      case DENY ->
          VirtualHost.newBuilder()
              .setName(naming.noMatchVirtualHost())
              .addDomains("*")
              .addRoutes(
                  Route.newBuilder()
                      .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                      .setDirectResponse(
                          DirectResponseAction.newBuilder()
                              .setStatus(SERVICE_UNAVAILABLE)
                              .setBody(
                                  DataSource.newBuilder().setInlineString(naming.noMatchBody()))))
              .build();
    };
  }
}
