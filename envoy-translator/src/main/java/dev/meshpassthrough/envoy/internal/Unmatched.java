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

/**
 * What happens to traffic no rule of the policy allows: the one decision that every place writing
 * it asks, in both profiles and both encodings. The translators get it from the profile factory.
 *
 * <p>Each method is a switch over the constants, so that a new behaviour (for example an audit mode
 * that lets such traffic pass and logs it) cannot compile until it decides every place: the default
 * passthrough clusters, the listeners' fallback chains, the matcher's {@code on_no_match}, and the
 * last virtual host of HTTP chains.
 */
public enum Unmatched {
  /**
   * Refused: the default passthrough clusters go, a connection no chain takes is closed, an HTTP
   * request to a host no rule names gets 503.
   */
  DENY;

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
      case DENY -> {
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
   * closes the connection (a default chain the listener already had is left as it is).
   *
   * @param naming the names to write
   * @return the chain to set; empty to set none
   */
  public Optional<FilterChain> defaultChain(Naming naming) {
    return switch (this) {
      case DENY -> Optional.empty();
    };
  }

  /**
   * The {@code on_no_match} of every list of a {@code filter_chain_matcher}, and of its port map
   * when no port-less list takes the other ports. {@link #DENY}: none, so what no entry takes is
   * closed.
   *
   * @return the action to set; empty to set none
   */
  public Optional<OnMatch> onNoMatch() {
    return switch (this) {
      case DENY -> Optional.empty();
    };
  }

  /**
   * The only chain of a passthrough listener no rule applies to: Envoy needs a chain on a listener.
   * {@link #DENY}: one that closes every connection it gets with the network {@code
   * direct_response} filter (no bytes sent), a terminal filter that names no cluster, so nothing
   * refers to a cluster that does not exist.
   *
   * @param naming the names to write
   * @return the chain
   */
  public FilterChain onlyChain(Naming naming) {
    return switch (this) {
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
   * naming's body.
   *
   * @param naming the names and the 503 body to write
   * @return the virtual host
   */
  public VirtualHost lastVirtualHost(Naming naming) {
    return switch (this) {
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
