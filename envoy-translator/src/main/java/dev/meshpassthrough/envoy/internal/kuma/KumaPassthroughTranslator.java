package dev.meshpassthrough.envoy.internal.kuma;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.internal.ClusterCollector;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.PolicyApplicability;
import dev.meshpassthrough.envoy.internal.ResourceSet;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The translator of the {@code KUMA} profile: Kuma's MeshPassthrough plugin, applied to the
 * resources of a {@link ProxyContext}. Stateless and thread-safe.
 *
 * <p>Under {@link KumaLine#V3} the plugin of Kuma's main line: conflicting matches are dropped
 * ({@link Kuma3Conflicts}) and each of its warnings is noted, in order, under rule {@link
 * TranslationRules#MATCH_IGNORED}; only kept {@code mysql} matches disable the inspectors; and
 * every non-wildcard domain with a port gets a pinned {@code STRICT_DNS} cluster, IPv4 only unless
 * the proxy is IPv6.
 */
final class KumaPassthroughTranslator implements PassthroughTranslator {
  private final Naming naming;
  private final long maxOutputBytes;
  private final Unmatched unmatched;
  private final KumaLine line;

  private KumaPassthroughTranslator(
      Naming naming, long maxOutputBytes, Unmatched unmatched, KumaLine line) {
    this.naming = naming;
    this.maxOutputBytes = maxOutputBytes;
    this.unmatched = unmatched;
    this.line = line;
  }

  /**
   * The translator that writes Kuma's names and texts.
   *
   * @param naming the names and texts to write ({@code Naming.KUMA})
   * @param maxOutputBytes the bound on the encoded size of what one translation builds
   * @param unmatched what happens to traffic no rule allows
   * @param line the Kuma line whose plugin to reproduce
   * @return a stateless, thread-safe translator
   */
  static KumaPassthroughTranslator create(
      Naming naming, long maxOutputBytes, Unmatched unmatched, KumaLine line) {
    if (unmatched != Unmatched.DENY) {
      throw new IllegalArgumentException("the kuma profile enforces only, not " + unmatched);
    }
    return new KumaPassthroughTranslator(
        Objects.requireNonNull(naming, "naming"),
        maxOutputBytes,
        Objects.requireNonNull(unmatched, "unmatched"),
        Objects.requireNonNull(line, "line"));
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
    Set<FilterChain> built = Set.of();
    if (mode == PassthroughMode.NONE) {
      if (!matches.isEmpty()) {
        resources.note(TranslationRules.modeNoneIgnoresMatches(matches.size()));
      }
    } else if (matches.isEmpty()) {
      resources.note(
          TranslationRules.note(
              TranslationRules.MODE_MATCHED_WITHOUT_MATCHES,
              "passthroughMode Matched without appendMatch: no destination passes, the passthrough listeners are left as they are"));
    } else {
      built = applyMatches(matches, proxy, resources);
    }
    noteRoutesToRemovedClusters(resources, removed, mode, built);
    return resources.result();
  }

  /**
   * Builds the chains of {@code matches} into the passthrough listeners and adds their clusters.
   *
   * @return the chains built, by identity: they send traffic only to the clusters just added
   */
  private Set<FilterChain> applyMatches(
      List<Match> matches, ProxyContext proxy, ResourceSet resources) {
    Optional<Kuma3Conflicts> conflicts = Optional.empty();
    ClusterPinning pinning = ClusterPinning.NONE;
    if (line == KumaLine.V3) {
      Kuma3Conflicts found = Kuma3Conflicts.find(matches);
      found
          .warnings()
          .forEach(
              w -> resources.note(TranslationRules.warning(TranslationRules.MATCH_IGNORED, w)));
      conflicts = Optional.of(found);
      pinning = new ClusterPinning(true, !proxy.dataplaneIpv6());
    }
    List<FilterChainMatcher> matchers =
        MatcherOrdering.order(matches, resources.budget(), conflicts);
    FilterChainFactory factory =
        new FilterChainFactory(
            naming, PassthroughListeners.internalAddresses(proxy), unmatched, pinning);
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
    ClusterCollector clusters = new ClusterCollector(matchers.size());
    Set<FilterChain> built = Collections.newSetFromMap(new IdentityHashMap<>());
    rebuilt.forEach(
        (listener, chains) -> {
          // The transparent proxy's catch-all chain goes: only the policy's destinations pass.
          Listener.Builder builder = listener.toBuilder().clearFilterChains();
          unmatched.defaultChain(naming).ifPresent(builder::setDefaultFilterChain);
          for (BuiltChain chain : chains) {
            builder.addFilterChains(chain.chain());
            built.add(chain.chain());
            clusters.addAll(chain.clusters());
          }
          ListenerFilters.append(builder, mysqlPorts);
          resources.putListener(builder.build());
        });
    resources.putPolicyClusters(clusters);
    return built;
  }

  /**
   * Warns of every listener whose {@code tcp_proxy} still sends traffic to a cluster {@code mode}
   * removed. The chains in {@code built} are not read: they send traffic only to the policy's
   * clusters, which the translation added after removing the others.
   */
  private static void noteRoutesToRemovedClusters(
      ResourceSet resources, List<String> removed, PassthroughMode mode, Set<FilterChain> built) {
    for (Listener listener : resources.listeners()) {
      for (String cluster : TcpProxyClusters.named(listener, removed, built)) {
        if (!resources.hasCluster(cluster)) {
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
