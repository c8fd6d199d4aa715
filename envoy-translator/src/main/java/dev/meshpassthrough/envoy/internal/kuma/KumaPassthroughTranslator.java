package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.PolicyApplicability;
import dev.meshpassthrough.envoy.internal.ResourceSet;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The translator of the {@code KUMA} profile: Kuma's MeshPassthrough plugin, applied to the
 * resources of a {@link ProxyContext}. Stateless and thread-safe.
 */
final class KumaPassthroughTranslator implements PassthroughTranslator {
  private final Naming naming;
  private final long maxOutputBytes;
  private final Unmatched unmatched;

  private KumaPassthroughTranslator(Naming naming, long maxOutputBytes, Unmatched unmatched) {
    this.naming = naming;
    this.maxOutputBytes = maxOutputBytes;
    this.unmatched = unmatched;
  }

  /**
   * The translator that writes Kuma's names and texts.
   *
   * @param naming the names and texts to write ({@code Naming.KUMA})
   * @param maxOutputBytes the bound on the encoded size of what one translation builds
   * @param unmatched what happens to traffic no rule allows
   * @return a stateless, thread-safe translator
   */
  static KumaPassthroughTranslator create(Naming naming, long maxOutputBytes, Unmatched unmatched) {
    return new KumaPassthroughTranslator(
        Objects.requireNonNull(naming, "naming"),
        maxOutputBytes,
        Objects.requireNonNull(unmatched, "unmatched"));
  }

  @Override
  public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
    Objects.requireNonNull(effectiveConf, "effectiveConf");
    Objects.requireNonNull(proxy, "proxy");
    ResourceSet resources = ResourceSet.of(proxy, maxOutputBytes);
    if (PolicyApplicability.leavesResourcesAsTheyAre(effectiveConf, proxy, resources)) {
      return resources.result();
    }
    PassthroughMode mode = effectiveConf.effectiveMode();
    List<Match> matches = effectiveConf.matches();
    List<String> removed = unmatched.removeDefaultClusters(resources);
    if (mode == PassthroughMode.NONE) {
      if (!matches.isEmpty()) {
        resources.note(
            TranslationRules.warning(
                TranslationRules.MODE_NONE_IGNORES_MATCHES,
                "passthroughMode None: no destination passes, the "
                    + matches.size()
                    + " appendMatch entries are ignored"));
      }
    } else if (matches.isEmpty()) {
      resources.note(
          TranslationRules.note(
              TranslationRules.MODE_MATCHED_WITHOUT_MATCHES,
              "passthroughMode Matched without appendMatch: no destination passes, the passthrough listeners are left as they are"));
    } else {
      applyMatches(matches, proxy, resources);
    }
    noteRoutesToRemovedClusters(resources, removed, mode);
    return resources.result();
  }

  private void applyMatches(List<Match> matches, ProxyContext proxy, ResourceSet resources) {
    List<FilterChainMatcher> matchers = MatcherOrdering.order(matches, resources.budget());
    FilterChainFactory factory =
        new FilterChainFactory(naming, PassthroughListeners.internalAddresses(proxy), unmatched);
    Map<Listener, List<BuiltChain>> rebuilt = new LinkedHashMap<>();
    for (IpFamily family : IpFamily.values()) {
      long wanted = matchers.stream().filter(m -> m.matchType().belongsTo(family)).count();
      if (wanted == 0) {
        continue;
      }
      Optional<Listener> listener = PassthroughListeners.of(proxy, family);
      if (listener.isEmpty()) {
        resources.note(
            TranslationRules.warning(
                TranslationRules.LISTENER_MISSING,
                "the proxy has no "
                    + family.name()
                    + " passthrough listener ("
                    + Naming.passthroughNames(family).get(0)
                    + "): "
                    + wanted
                    + " filter chains for it were not generated"));
        continue;
      }
      List<BuiltChain> chains = new ArrayList<>();
      for (FilterChainMatcher matcher : matchers) {
        factory
            .build(matcher, family)
            .ifPresent(
                chain -> {
                  resources.budget().chain(chain.chain());
                  chains.add(chain);
                });
      }
      rebuilt.put(listener.get(), chains);
    }
    List<Problem> problems = DuplicateChainCheck.problems(rebuilt.values(), matches);
    if (!problems.isEmpty()) {
      throw TranslationException.of(problems);
    }
    SortedSet<Integer> mysqlPorts = new TreeSet<>();
    matchers.stream()
        .filter(m -> m.protocol() == Protocol.MYSQL && m.port() != 0)
        .forEach(m -> mysqlPorts.add(m.port()));
    SortedMap<String, ClusterSpec> clusters = new TreeMap<>();
    rebuilt.forEach(
        (listener, chains) -> {
          // The transparent proxy's catch-all chain goes: only the policy's destinations pass.
          Listener.Builder builder = listener.toBuilder().clearFilterChains();
          unmatched.defaultChain(naming).ifPresent(builder::setDefaultFilterChain);
          chains.forEach(chain -> builder.addFilterChains(chain.chain()));
          ListenerFilters.append(builder, mysqlPorts);
          resources.putListener(builder.build());
          chains.forEach(
              chain -> chain.clusters().forEach(spec -> clusters.putIfAbsent(spec.name(), spec)));
        });
    resources.putPolicyClusters(clusters.values());
  }

  private static void noteRoutesToRemovedClusters(
      ResourceSet resources, List<String> removed, PassthroughMode mode) {
    for (Listener listener : resources.listeners()) {
      for (String cluster : TcpProxyClusters.of(listener)) {
        if (removed.contains(cluster) && !resources.hasCluster(cluster)) {
          resources.note(
              TranslationRules.warning(
                  TranslationRules.CLUSTER_REMOVED_STILL_USED,
                  "listener "
                      + listener.getName()
                      + " still sends traffic to cluster "
                      + cluster
                      + ", which passthroughMode "
                      + mode.wireName()
                      + " removed: Envoy closes those connections"));
        }
      }
    }
  }
}
