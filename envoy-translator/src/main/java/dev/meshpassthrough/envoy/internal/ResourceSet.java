package dev.meshpassthrough.envoy.internal;

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
final class ResourceSet {
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final OutputBudget budget;

  /** The resources of {@code proxy}; what the translation puts counts against {@code budget}. */
  ResourceSet(ProxyContext proxy, OutputBudget budget) {
    this.budget = budget;
    proxy.listeners().forEach(l -> listeners.put(l.listener().getName(), l.listener()));
    proxy.clusters().forEach(c -> clusters.put(c.cluster().getName(), c.cluster()));
  }

  /**
   * Adds or replaces a listener the translation built.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the budget is exceeded
   */
  void putListener(Listener listener) {
    budget.resource(listener);
    listeners.put(listener.getName(), listener);
  }

  /**
   * Adds or replaces a cluster the translation built; returns the cluster it replaced.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the budget is exceeded
   */
  Optional<Cluster> putCluster(Cluster cluster) {
    budget.resource(cluster);
    return Optional.ofNullable(clusters.put(cluster.getName(), cluster));
  }

  /** Removes the cluster {@code name}; returns whether there was one. */
  boolean removeCluster(String name) {
    return clusters.remove(name) != null;
  }

  /** Whether a cluster {@code name} exists. */
  boolean hasCluster(String name) {
    return clusters.containsKey(name);
  }

  /** The listeners, in insertion order. */
  List<Listener> listeners() {
    return List.copyOf(listeners.values());
  }

  /** The budget of this translation, for the chains of the listener being built. */
  OutputBudget budget() {
    return budget;
  }

  /** Records a note. */
  void note(String note) {
    notes.add(note);
  }

  /** The result: resources sorted by name, notes in order. */
  TranslationResult result() {
    return new TranslationResult(List.copyOf(listeners.values()), List.copyOf(clusters.values()), notes);
  }
}
