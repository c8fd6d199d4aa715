package dev.meshpassthrough.core.resolve;

import java.util.Objects;
import java.util.Optional;

/**
 * The control plane that computes a proxy's configuration: which Kuma line, where it runs, and
 * (Kuma 2.x) the Mesh's passthrough switch.
 *
 * <p>Immutable. Only {@link #line()} and {@link #meshPassthrough()} change a resolution; the scope,
 * environment, zone and system namespace describe where the stored policies were read and are
 * carried for reporting. Policies and proxies are taken in stored form, with the labels Kuma
 * computes on admission already set, so the context is not used to compute labels.
 *
 * @param line the Kuma line whose rules apply
 * @param scope a zone or the global control plane
 * @param environment Kubernetes or Universal
 * @param zone the zone's name, if known
 * @param systemNamespace Kubernetes: the control plane's system namespace, if known
 * @param meshPassthrough Kuma 2.x: the Mesh's {@code spec.networking.outbound.passthrough}; Kuma
 *     3.x ignores it
 */
public record ControlPlaneContext(
    KumaLine line,
    Scope scope,
    Environment environment,
    Optional<String> zone,
    Optional<String> systemNamespace,
    MeshPassthroughSwitch meshPassthrough) {

  /**
   * Checks for null.
   *
   * @param line the Kuma line whose rules apply, never null
   * @param scope a zone or the global control plane, never null
   * @param environment Kubernetes or Universal, never null
   * @param zone the zone's name, or empty
   * @param systemNamespace the control plane's system namespace, or empty
   * @param meshPassthrough the Mesh's passthrough switch, never null; only Kuma 2.x reads it
   * @throws NullPointerException when a component is null
   */
  public ControlPlaneContext {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(systemNamespace, "systemNamespace");
    Objects.requireNonNull(meshPassthrough, "meshPassthrough");
  }

  /**
   * A zone control plane on Universal for {@code line}, with the Mesh switch on (its default).
   *
   * @param line the Kuma line whose rules apply, never null
   * @return a context with no zone name and no system namespace
   * @throws NullPointerException when {@code line} is null
   */
  public static ControlPlaneContext zone(KumaLine line) {
    return new ControlPlaneContext(
        line,
        Scope.ZONE,
        Environment.UNIVERSAL,
        Optional.empty(),
        Optional.empty(),
        MeshPassthroughSwitch.ON);
  }

  /**
   * A copy for another Kuma line.
   *
   * @param newLine the Kuma line whose rules apply, never null
   * @return a copy with {@code line} replaced; this context is unchanged
   * @throws NullPointerException when {@code newLine} is null
   */
  public ControlPlaneContext withLine(KumaLine newLine) {
    return new ControlPlaneContext(
        newLine, scope, environment, zone, systemNamespace, meshPassthrough);
  }

  /**
   * A copy with the Mesh switch {@code value}.
   *
   * @param value the Mesh's passthrough switch, never null
   * @return a copy with {@code meshPassthrough} replaced; this context is unchanged
   * @throws NullPointerException when {@code value} is null
   */
  public ControlPlaneContext withMeshPassthrough(MeshPassthroughSwitch value) {
    return new ControlPlaneContext(line, scope, environment, zone, systemNamespace, value);
  }

  /** Where the control plane runs. */
  public enum Scope {
    /** A zone control plane, standalone or federated. */
    ZONE("zone"),
    /** The global control plane of a federation, as its inspect API computes zone proxies. */
    GLOBAL("global");

    private final String wireName;

    Scope(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The spelling in proxy files: {@code zone} or {@code global}.
     *
     * @return the lower-case name
     */
    public String wireName() {
      return wireName;
    }
  }

  /** The environment the control plane stores resources in. */
  public enum Environment {
    /** Custom resources in a Kubernetes cluster. */
    KUBERNETES("kubernetes"),
    /** Kuma's own store, written through its REST API or {@code kumactl}. */
    UNIVERSAL("universal");

    private final String wireName;

    Environment(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The spelling in proxy files: {@code kubernetes} or {@code universal}.
     *
     * @return the lower-case name
     */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Kuma 2.x's Mesh switch {@code spec.networking.outbound.passthrough}: it decides the outcome
   * when no MeshPassthrough selects a proxy.
   */
  public enum MeshPassthroughSwitch {
    /** The default: the default passthrough clusters exist, every destination is allowed. */
    ON,
    /** The default passthrough clusters are never created: non-mesh traffic is blocked. */
    OFF
  }
}
