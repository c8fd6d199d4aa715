package dev.meshpassthrough.core.document;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The top-level {@code spec.targetRef} as written, with every field Kuma 2.x or 3.x knows.
 *
 * @param kind the kind text, if present
 * @param labels the labels, if present
 * @param name the name (Kuma 2.x), if present
 * @param namespace the namespace (Kuma 2.x), if present
 * @param sectionName the section name, if present
 * @param tags the tags (Kuma 2.x MeshSubset), if present
 * @param proxyTypes the proxy types (Kuma 2.x), if present
 * @param mesh the mesh (never allowed), if present
 */
public record WrittenTargetRef(
    Optional<String> kind,
    Optional<SortedMap<String, String>> labels,
    Optional<String> name,
    Optional<String> namespace,
    Optional<String> sectionName,
    Optional<SortedMap<String, String>> tags,
    Optional<List<String>> proxyTypes,
    Optional<String> mesh) {

  /**
   * Copies the collections.
   *
   * @param kind the kind text, or empty
   * @param labels the labels, or empty; copied into an unmodifiable map sorted by key
   * @param name the name, or empty
   * @param namespace the namespace, or empty
   * @param sectionName the section name, or empty
   * @param tags the tags, or empty; copied into an unmodifiable map sorted by key
   * @param proxyTypes the proxy types in written order, or empty; copied
   * @param mesh the mesh, or empty
   */
  public WrittenTargetRef {
    labels = labels.map(WrittenTargetRef::copy);
    tags = tags.map(WrittenTargetRef::copy);
    proxyTypes = proxyTypes.map(List::copyOf);
  }

  /**
   * A targetRef with only a kind.
   *
   * @param kind the kind text as written, for example {@code Mesh}; never null
   * @return a targetRef whose other fields are all absent
   */
  public static WrittenTargetRef ofKind(String kind) {
    return new WrittenTargetRef(
        Optional.of(kind),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static SortedMap<String, String> copy(Map<String, String> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
