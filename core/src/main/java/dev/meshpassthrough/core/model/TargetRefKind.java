package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/** The kinds a MeshPassthrough's top-level {@code targetRef} may name. */
public enum TargetRefKind {
  /** Every proxy of the mesh. */
  MESH("Mesh"),
  /** Proxies picked by labels (Kuma 2.x also: by name and namespace). */
  DATAPLANE("Dataplane"),
  /** Kuma 2.x only: proxies whose inbounds carry the given tags. */
  MESH_SUBSET("MeshSubset");

  private static final List<TargetRefKind> VALUES = List.of(values());

  private final String wireName;

  TargetRefKind(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The spelling in documents, for example {@code Dataplane}.
   *
   * @return {@code Mesh}, {@code Dataplane} or {@code MeshSubset}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The kind spelled exactly {@code name}, if any.
   *
   * @param name the {@code kind} text as written, never null
   * @return the kind whose {@link #wireName()} equals {@code name} (case-sensitive); empty for any
   *     other text
   */
  public static Optional<TargetRefKind> fromWireName(String name) {
    return WireNames.lookup(VALUES, TargetRefKind::wireName, name);
  }
}
