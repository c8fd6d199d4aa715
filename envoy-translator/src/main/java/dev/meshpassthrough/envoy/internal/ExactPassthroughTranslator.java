package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.direct_response.v3.Config;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The translator of the {@code EXACT} profile: Envoy's decision equals the policy's intent for
 * every connection (see {@link ExactPlanner}), and the output refers to no cluster it removed.
 * Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code All}: nothing changes.
 *   <li>{@code None}, or {@code Matched} without entries: the default passthrough clusters go, and
 *       each passthrough listener keeps one chain that closes every connection.
 *   <li>{@code Matched}: the default passthrough clusters go and both passthrough listeners are
 *       rebuilt from the plan (a listener no entry applies to gets the closing chain).
 * </ul>
 *
 * <p>The plan is written in one of two encodings: {@link Encoding#LEGACY}, the decision table as
 * chains with {@code filter_chain_match} ({@link ExactPlanner}), or {@link Encoding#MATCHER}, one
 * chain per rule and a {@code filter_chain_matcher} ({@link MatcherPlanner}, {@link MatcherEncoder}).
 * Both use the same chain bodies, clusters and listener filters.
 */
final class ExactPassthroughTranslator implements PassthroughTranslator {
  private final Naming naming;
  private final Encoding encoding;

  ExactPassthroughTranslator(Naming naming, Encoding encoding) {
    this.naming = naming;
    this.encoding = encoding;
  }

  @Override
  public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
    Objects.requireNonNull(effectiveConf, "effectiveConf");
    Objects.requireNonNull(proxy, "proxy");
    ResourceSet resources = new ResourceSet(proxy);
    if (!KumaPassthroughTranslator.isApplicable(proxy, resources)) {
      return resources.result();
    }
    PassthroughMode mode = effectiveConf.effectiveMode();
    List<Match> matches = effectiveConf.matches();
    if (mode == PassthroughMode.ALL) {
      if (!matches.isEmpty()) {
        resources.note("passthroughMode All: every destination passes, the " + matches.size() + " appendMatch entries are ignored");
      }
      return resources.result();
    }
    KumaPassthroughTranslator.removeDefaultClusters(resources);
    if (mode == PassthroughMode.NONE && !matches.isEmpty()) {
      resources.note("passthroughMode None: no destination passes, the " + matches.size() + " appendMatch entries are ignored");
    }
    List<Match> applied = mode == PassthroughMode.MATCHED ? matches : List.of();
    ExactChainFactory factory = new ExactChainFactory(naming, KumaPassthroughTranslator.internalAddresses(proxy));
    SortedMap<String, Protocol> clusters = new TreeMap<>();
    for (IpFamily family : IpFamily.values()) {
      Optional<Listener> listener = KumaPassthroughTranslator.passthroughListener(proxy, family);
      if (listener.isEmpty()) {
        continue;
      }
      Listener.Builder builder = listener.get().toBuilder().clearFilterChains().clearDefaultFilterChain().clearFilterChainMatcher();
      if (encoding == Encoding.MATCHER) {
        MatcherPlanner.ListenerPlan plan = MatcherPlanner.plan(applied, family);
        MatcherEncoder.Encoded encoded = new MatcherEncoder(factory).encode(plan);
        encoded.clusters().forEach(clusters::putIfAbsent);
        if (encoded.matcher().isPresent()) {
          builder.addAllFilterChains(encoded.chains()).setFilterChainMatcher(encoded.matcher().get());
        } else {
          builder.addFilterChains(denyChain());
        }
        ExactListenerFilters.apply(builder, plan.filters());
      } else {
        ExactPlanner.ListenerPlan plan = ExactPlanner.plan(applied, family);
        List<FilterChain> chains = new ArrayList<>();
        for (ExactPlanner.ChainPlan chainPlan : plan.chains()) {
          ExactChainFactory.Written written = factory.write(chainPlan);
          chains.add(written.chain());
          written.clusters().forEach(clusters::putIfAbsent);
        }
        if (chains.isEmpty()) {
          chains.add(denyChain());
        }
        builder.addAllFilterChains(chains);
        ExactListenerFilters.apply(builder, plan);
      }
      resources.putListener(builder.build());
    }
    clusters.forEach((name, protocol) -> resources.putCluster(ClusterFactory.originalDestination(name, protocol))
        .ifPresent(replaced -> resources.note("cluster " + name + " of the proxy was replaced by the policy's cluster of the same name")));
    return resources.result();
  }

  /**
   * Envoy needs a chain on a listener. This one closes every connection it gets with the network
   * direct_response filter (no bytes sent): a terminal filter that names no cluster, so nothing
   * refers to a cluster that does not exist.
   */
  private FilterChain denyChain() {
    return FilterChain.newBuilder()
        .setName(naming.denyChainName())
        .addFilters(Filter.newBuilder().setName(EnvoyNames.DIRECT_RESPONSE).setTypedConfig(Any.pack(Config.getDefaultInstance())))
        .build();
  }
}
