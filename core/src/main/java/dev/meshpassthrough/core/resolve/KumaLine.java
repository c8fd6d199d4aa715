package dev.meshpassthrough.core.resolve;

import java.util.Locale;

/**
 * The Kuma code line whose validation, selection and precedence rules apply: the one enum every
 * module and the CLI's {@code --kuma-version} use.
 */
public enum KumaLine {
  /**
   * Kuma 2.10 to 2.14 (and Kong Mesh 2.x): kinds Mesh &lt; Dataplane &lt; MeshSubset, Dataplane by
   * name before by labels, {@code proxyTypes}, builtin gateways, the Mesh's passthrough switch.
   */
  V2,
  /**
   * Kuma's main line, to become 3.0: kinds Mesh &lt; Dataplane, labels only (with {@code
   * kuma.io/display-name} compared with the proxy's display name), zone-proxy listeners, no Mesh
   * switch; stored legacy kinds are skipped with a warning.
   */
  V3;

  /**
   * Parses {@code 2}, {@code 3}, {@code v2}, {@code v3}, {@code 2.x} or {@code 3.x}.
   *
   * @param text the version as given, for example to {@code --kuma-version}; never null;
   *     surrounding whitespace and case are ignored ({@code V3} reads as {@code v3})
   * @return {@link #V2} or {@link #V3}
   * @throws IllegalArgumentException for anything else
   */
  public static KumaLine parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "2", "v2", "2.x" -> V2;
      case "3", "v3", "3.x" -> V3;
      default ->
          throw new IllegalArgumentException("unknown Kuma version '" + text + "': use 2 or 3");
    };
  }
}
