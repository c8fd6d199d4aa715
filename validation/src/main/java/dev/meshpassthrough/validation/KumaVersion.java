package dev.meshpassthrough.validation;

/** Which Kuma code line to validate for; the rules of {@code targetRef} differ. */
public enum KumaVersion {
  /** Kuma 2.10-2.14 (and Kong Mesh 2.x): Mesh, MeshSubset, Dataplane with labels or name. */
  V2,
  /** Kuma's main line, to become 3.0: Mesh and Dataplane with labels only. */
  V3;

  /** Parses {@code 2}, {@code 3}, {@code v2} or {@code v3}. */
  public static KumaVersion parse(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "2", "v2", "2.x" -> V2;
      case "3", "v3", "3.x" -> V3;
      default -> throw new IllegalArgumentException("unknown Kuma version '" + text + "': use 2 or 3");
    };
  }
}
