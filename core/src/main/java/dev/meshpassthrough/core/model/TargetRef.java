package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A validated top-level {@code targetRef}: which proxies a policy selects.
 *
 * @param kind the kind
 * @param labels Dataplane label selector, if written (an empty map selects every proxy)
 * @param name Kuma 2.x: Dataplane name
 * @param namespace Kuma 2.x: Dataplane namespace
 * @param tags Kuma 2.x: MeshSubset inbound tags
 * @param proxyTypes Kuma 2.x: Mesh/MeshSubset proxy types
 */
public record TargetRef(
    TargetRefKind kind,
    Optional<SortedMap<String, String>> labels,
    Optional<String> name,
    Optional<String> namespace,
    Optional<SortedMap<String, String>> tags,
    Optional<List<ProxyType>> proxyTypes) {

  /**
   * Copies the collections into sorted, unmodifiable ones.
   *
   * @param kind the kind, never null
   * @param labels the Dataplane label selector, or empty; copied, sorted by key
   * @param name the Dataplane name (Kuma 2.x), or empty
   * @param namespace the Dataplane namespace (Kuma 2.x), or empty
   * @param tags the MeshSubset tags (Kuma 2.x), or empty; copied, sorted by key
   * @param proxyTypes the proxy types (Kuma 2.x) in written order, or empty; copied
   */
  public TargetRef {
    labels = labels.map(TargetRef::sortedCopy);
    tags = tags.map(TargetRef::sortedCopy);
    proxyTypes = proxyTypes.map(List::copyOf);
  }

  /**
   * {@code {kind: Mesh}}, also what an absent targetRef means.
   *
   * @return a {@link TargetRefKind#MESH} targetRef with every other field empty
   */
  public static TargetRef mesh() {
    return new TargetRef(
        TargetRefKind.MESH,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * {@code {kind: Dataplane, labels: ...}}.
   *
   * @param labels the label selector, never null; an empty map selects every proxy; copied
   * @return a {@link TargetRefKind#DATAPLANE} targetRef with only {@code labels} set
   */
  public static TargetRef dataplaneLabels(Map<String, String> labels) {
    return new TargetRef(
        TargetRefKind.DATAPLANE,
        Optional.of(sortedCopy(labels)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static SortedMap<String, String> sortedCopy(Map<String, String> map) {
    return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
