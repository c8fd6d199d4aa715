package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/** What a proxy does with traffic to destinations outside the mesh. */
public enum PassthroughMode {
  /** Every destination may pass; {@code appendMatch} is ignored. */
  ALL("All"),
  /** Only the destinations of {@code appendMatch} may pass; Kuma's default when unset. */
  MATCHED("Matched"),
  /** No destination may pass; {@code appendMatch} is ignored. */
  NONE("None");

  private static final List<PassthroughMode> VALUES = List.of(values());

  private final String wireName;

  PassthroughMode(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The spelling in policy documents, for example {@code Matched}.
   *
   * @return {@code All}, {@code Matched} or {@code None}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The mode spelled exactly {@code name} (case-sensitive, as Kuma's schema is), if any.
   *
   * @param name the {@code passthroughMode} text as written, never null
   * @return the mode whose {@link #wireName()} equals {@code name}; empty for any other text,
   *     {@code all} included
   */
  public static Optional<PassthroughMode> fromWireName(String name) {
    return WireNames.lookup(VALUES, PassthroughMode::wireName, name);
  }
}
