package dev.meshpassthrough.core.model;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The identity of a stored policy, normalised across Kubernetes and Universal documents.
 *
 * @param name the core name: Universal {@code name}, Kubernetes {@code metadata.name.namespace}
 * @param mesh the mesh, {@code default} when the document names none
 * @param namespace the Kubernetes namespace, if any
 * @param labels the labels as stored
 */
public record PolicyMetadata(
    String name, String mesh, Optional<String> namespace, SortedMap<String, String> labels) {
  /** Label holding the name users see. */
  public static final String DISPLAY_NAME_LABEL = "kuma.io/display-name";

  /**
   * Copies the labels into a sorted, unmodifiable map.
   *
   * @param name the core name, never null
   * @param mesh the mesh, never null
   * @param namespace the Kubernetes namespace, or empty
   * @param labels the labels, never null; copied
   */
  public PolicyMetadata {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /**
   * Metadata of a policy with no labels in the {@code default} mesh.
   *
   * @param name the core name, never null
   * @return metadata without a namespace
   */
  public static PolicyMetadata named(String name) {
    return new PolicyMetadata(name, "default", Optional.empty(), new TreeMap<>());
  }

  /**
   * The {@code kuma.io/display-name} label, or the core name when it is missing or empty.
   *
   * @return the name users see, never empty unless the core name is
   */
  public String displayName() {
    String label = labels.get(DISPLAY_NAME_LABEL);
    return label == null || label.isEmpty() ? name : label;
  }

  /**
   * Labels as a plain map.
   *
   * @return the same unmodifiable, key-sorted labels as {@link #labels()}
   */
  public Map<String, String> labelMap() {
    return labels;
  }
}
