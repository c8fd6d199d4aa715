package dev.meshpassthrough.envoy.internal;

import com.google.common.collect.Maps;
import com.google.protobuf.Message;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listeners and clusters of one proxy while one translation changes them, and its notes. Not
 * thread-safe: each translation has its own.
 */
public final class ResourceSet {
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private Map<String, Cluster> clusters = new LinkedHashMap<>();

  /**
   * The policy's clusters whose names were not in {@link #clusters} when they were put: kept in a
   * list, without a map insert each (thousands for a big policy), and moved into the map only when
   * the set is changed or asked by name afterwards. No two share a name.
   */
  private final List<Cluster> policyClusters = new ArrayList<>();

  private final List<Problem> notes = new ArrayList<>();
  private final OutputBudget budget;

  /** The resources of {@code proxy}; what the translation puts counts against {@code budget}. */
  ResourceSet(ProxyContext proxy, OutputBudget budget) {
    this.budget = budget;
    proxy.listeners().forEach(l -> listeners.put(l.listener().getName(), l.listener()));
    proxy.clusters().forEach(c -> clusters.put(c.cluster().getName(), c.cluster()));
  }

  /**
   * The resources of {@code proxy}, for one translation whose output may take at most {@code
   * maxOutputBytes} in protobuf encoding.
   *
   * @param proxy the proxy before the policy applies
   * @param maxOutputBytes the bound of {@code TranslatorOptions.maxOutputBytes}
   * @return a new set, owned by one translation
   */
  public static ResourceSet of(ProxyContext proxy, long maxOutputBytes) {
    return new ResourceSet(proxy, new OutputBudget(maxOutputBytes));
  }

  /**
   * Adds or replaces a listener the translation built.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the budget is exceeded
   */
  public void putListener(Listener listener) {
    count(listener);
    listeners.put(listener.getName(), listener);
  }

  /**
   * Adds or replaces a cluster the translation built; returns the cluster it replaced.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the budget is exceeded
   */
  public Optional<Cluster> putCluster(Cluster cluster) {
    settle();
    count(cluster);
    return Optional.ofNullable(clusters.put(cluster.getName(), cluster));
  }

  /**
   * Adds the clusters the policy's chains route to; a cluster of the proxy with the same name is
   * replaced, with a warning. The warnings come in the order of the replaced clusters' names.
   *
   * @param collector the clusters, each name once, added in the order they were collected
   * @throws dev.meshpassthrough.envoy.TranslationException when the budget is exceeded
   */
  public void putPolicyClusters(ClusterCollector collector) {
    settle();
    List<String> replaced = new ArrayList<>();
    for (ClusterSpec spec : collector.inOrderAdded()) {
      Cluster cluster = spec.toCluster();
      count(cluster);
      if (clusters.containsKey(spec.name())) {
        clusters.put(spec.name(), cluster);
        replaced.add(spec.name());
      } else {
        policyClusters.add(cluster);
      }
    }
    for (String name : NameOrder.sorted(replaced, n -> n)) {
      note(
          TranslationRules.warning(
              TranslationRules.CLUSTER_REPLACED,
              "cluster "
                  + name
                  + " of the proxy was replaced by the policy's cluster of the same name"));
    }
  }

  /** Moves the policy's clusters kept in a list into the map, before it is changed or asked. */
  private void settle() {
    if (policyClusters.isEmpty()) {
      return;
    }
    Map<String, Cluster> all =
        Maps.newLinkedHashMapWithExpectedSize(clusters.size() + policyClusters.size());
    all.putAll(clusters);
    for (Cluster cluster : policyClusters) {
      all.put(cluster.getName(), cluster);
    }
    clusters = all;
    policyClusters.clear();
  }

  private void count(Message resource) {
    budget.resource(resource);
  }

  /** Removes the cluster {@code name}; returns whether there was one. */
  public boolean removeCluster(String name) {
    settle();
    return clusters.remove(name) != null;
  }

  /** Whether a cluster {@code name} exists. */
  public boolean hasCluster(String name) {
    settle();
    return clusters.containsKey(name);
  }

  /** The listeners, in insertion order. */
  public List<Listener> listeners() {
    return List.copyOf(listeners.values());
  }

  /** The budget of this translation, for the chains of the listener being built. */
  public ChainBudget budget() {
    return budget;
  }

  /**
   * Records a note or warning.
   *
   * @param note the problem, of severity {@code NOTE} or {@code WARNING}
   */
  public void note(Problem note) {
    notes.add(note);
  }

  /** The result: resources sorted by name, notes in order. */
  public TranslationResult result() {
    List<Cluster> all = new ArrayList<>(clusters.size() + policyClusters.size());
    all.addAll(clusters.values());
    all.addAll(policyClusters);
    return new TranslationResult(List.copyOf(listeners.values()), all, notes);
  }
}
