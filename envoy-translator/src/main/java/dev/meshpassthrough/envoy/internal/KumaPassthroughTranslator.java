package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
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
public final class KumaPassthroughTranslator implements PassthroughTranslator {
  private static final List<String> DEFAULT_INTERNAL_ADDRESSES = List.of("127.0.0.1/32", "::1/128");

  private final Naming naming;
  private final long maxOutputBytes;

  private KumaPassthroughTranslator(Naming naming, long maxOutputBytes) {
    this.naming = naming;
    this.maxOutputBytes = maxOutputBytes;
  }

  /**
   * The translator of {@code options}' profile and encoding.
   *
   * @throws IllegalArgumentException for the kuma profile with an encoding other than legacy
   */
  public static PassthroughTranslator create(TranslatorOptions options) {
    Objects.requireNonNull(options, "options");
    return switch (options.profile()) {
      case KUMA -> {
        if (options.encoding() != Encoding.LEGACY) {
          throw new IllegalArgumentException("the kuma profile supports the legacy encoding only, not " + options.encoding());
        }
        yield new KumaPassthroughTranslator(Naming.KUMA, options.maxOutputBytes());
      }
      case EXACT -> new ExactPassthroughTranslator(Naming.exact(options.noMatchBody().orElse(Naming.EXACT_NO_MATCH_BODY)),
          options.encoding(), options.maxOutputBytes());
    };
  }

  @Override
  public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
    Objects.requireNonNull(effectiveConf, "effectiveConf");
    Objects.requireNonNull(proxy, "proxy");
    ResourceSet resources = new ResourceSet(proxy, new OutputBudget(maxOutputBytes));
    if (!isApplicable(proxy, resources)) {
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
    List<String> removed = removeDefaultClusters(resources);
    if (mode == PassthroughMode.NONE) {
      if (!matches.isEmpty()) {
        resources.note("passthroughMode None: no destination passes, the " + matches.size() + " appendMatch entries are ignored");
      }
    } else if (matches.isEmpty()) {
      resources.note("passthroughMode Matched without appendMatch: no destination passes, the passthrough listeners are left as they are");
    } else {
      applyMatches(matches, proxy, resources);
    }
    noteRoutesToRemovedClusters(resources, removed, mode);
    return resources.result();
  }

  /** Whether the policy applies to {@code proxy}; notes why not when it does not. */
  static boolean isApplicable(ProxyContext proxy, ResourceSet resources) {
    if (!proxy.transparentProxyEnabled()) {
      resources.note("policy not applied: the proxy runs without a transparent proxy, so it has no outbound passthrough");
      return false;
    }
    if (proxy.features().contains(ProxyContext.FEATURE_BIND_OUTBOUNDS)) {
      resources.note("policy not applied: the proxy has " + ProxyContext.FEATURE_BIND_OUTBOUNDS + ", so it has no outbound passthrough");
      return false;
    }
    return true;
  }

  static List<String> removeDefaultClusters(ResourceSet resources) {
    List<String> removed = new ArrayList<>();
    for (IpFamily family : IpFamily.values()) {
      for (String name : Naming.passthroughNames(family)) {
        if (resources.removeCluster(name)) {
          removed.add(name);
        }
      }
    }
    return removed;
  }

  private void applyMatches(List<Match> matches, ProxyContext proxy, ResourceSet resources) {
    List<FilterChainMatcher> matchers = MatcherOrdering.order(matches, resources.budget());
    FilterChainFactory factory = new FilterChainFactory(naming, internalAddresses(proxy));
    Map<Listener, List<BuiltChain>> rebuilt = new LinkedHashMap<>();
    for (IpFamily family : IpFamily.values()) {
      long wanted = matchers.stream().filter(m -> m.matchType().belongsTo(family)).count();
      if (wanted == 0) {
        continue;
      }
      Optional<Listener> listener = passthroughListener(proxy, family);
      if (listener.isEmpty()) {
        resources.note("the proxy has no " + family.name() + " passthrough listener (" + Naming.passthroughNames(family).get(0)
            + "): " + wanted + " filter chains for it were not generated");
        continue;
      }
      List<BuiltChain> chains = new ArrayList<>();
      for (FilterChainMatcher matcher : matchers) {
        factory.build(matcher, family).ifPresent(chain -> {
          resources.budget().chain(chain.chain());
          chains.add(chain);
        });
      }
      rebuilt.put(listener.get(), chains);
    }
    List<String> problems = DuplicateChainCheck.problems(rebuilt.values(), matches);
    if (!problems.isEmpty()) {
      throw new TranslationException(problems);
    }
    SortedSet<Integer> mysqlPorts = new TreeSet<>();
    matchers.stream().filter(m -> m.protocol() == Protocol.MYSQL && m.port() != 0).forEach(m -> mysqlPorts.add(m.port()));
    SortedMap<String, Protocol> clusters = new TreeMap<>();
    rebuilt.forEach((listener, chains) -> {
      // The transparent proxy's catch-all chain goes: only the policy's destinations pass.
      Listener.Builder builder = listener.toBuilder().clearFilterChains();
      chains.forEach(chain -> builder.addFilterChains(chain.chain()));
      ListenerFilters.append(builder, mysqlPorts);
      resources.putListener(builder.build());
      chains.forEach(chain -> chain.clusters().forEach(clusters::putIfAbsent));
    });
    clusters.forEach((name, protocol) -> resources.putCluster(ClusterFactory.originalDestination(name, protocol))
        .ifPresent(replaced -> resources.note("cluster " + name + " of the proxy was replaced by the policy's cluster of the same name")));
  }

  static Optional<Listener> passthroughListener(ProxyContext proxy, IpFamily family) {
    List<String> names = Naming.passthroughNames(family);
    return proxy.listeners().stream()
        .filter(l -> l.origin().equals(ProxyContext.ORIGIN_TRANSPARENT) && names.contains(l.listener().getName()))
        .map(ProxyContext.ExistingListener::listener)
        .findFirst();
  }

  /** The HTTP connection manager's internal addresses: Kuma drops IPv6 ones unless IPv6 is enabled. */
  static List<CidrRange> internalAddresses(ProxyContext proxy) {
    List<String> written = proxy.internalAddresses().isEmpty() ? DEFAULT_INTERNAL_ADDRESSES : proxy.internalAddresses();
    List<CidrRange> ranges = new ArrayList<>();
    for (String text : written) {
      Destination.Cidr cidr = Destination.Cidr.parse(text);
      if (proxy.ipv6Enabled() || cidr.family().orElseThrow() == IpFamily.IPV4) {
        ranges.add(FilterChainFactory.cidrRange(cidr.networkText(), cidr.prefixLength()));
      }
    }
    return ranges;
  }

  private static void noteRoutesToRemovedClusters(ResourceSet resources, List<String> removed, PassthroughMode mode) {
    for (Listener listener : resources.listeners()) {
      for (String cluster : TcpProxyClusters.of(listener)) {
        if (removed.contains(cluster) && !resources.hasCluster(cluster)) {
          resources.note("listener " + listener.getName() + " still sends traffic to cluster " + cluster
              + ", which passthroughMode " + mode.wireName() + " removed: Envoy closes those connections");
        }
      }
    }
  }
}
