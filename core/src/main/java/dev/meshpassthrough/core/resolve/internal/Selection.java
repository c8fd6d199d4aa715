package dev.meshpassthrough.core.resolve.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.ProxyType;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyDescriptor.GatewayKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Whether one policy selects one proxy (docs/selection-and-merge.md#selection): mesh and shadow,
 * the zone gate, the namespace gate, then the kind test, which must select at least one inbound (or
 * zone-proxy listener) or a delegated gateway.
 */
public final class Selection {
  /** Kuma 3.x's warning for a stored policy of a kind it no longer has (MeshSubset). */
  public static final String UNSUPPORTED_KIND = "kuma.resolve.target-ref.unresolved";

  /** Kuma 3.x reads no {@code targetRef.name} or {@code targetRef.namespace} of a stored policy. */
  public static final String V3_NAME_IGNORED = "resolve.target-ref.v3-name-ignored";

  /** Kuma 3.x reads no {@code targetRef.proxyTypes} of a stored policy. */
  public static final String V3_PROXY_TYPES_IGNORED = "resolve.target-ref.v3-proxy-types-ignored";

  private Selection() {}

  /**
   * Why {@code policy} selects {@code proxy} under the rules of {@code line}, or empty when it does
   * not; warnings about the policy go to {@code warnings}, each naming the policy and its field.
   *
   * @param policy the policy
   * @param proxy the proxy
   * @param line the Kuma line
   * @param warnings receives the warnings
   * @return the sentence of {@link dev.meshpassthrough.core.resolve.AppliedPolicy#why()}, if it
   *     selects
   */
  public static Optional<String> why(
      MeshPassthroughPolicy policy,
      ProxyDescriptor proxy,
      KumaLine line,
      Consumer<Problem> warnings) {
    Map<String, String> labels = policy.metadata().labels();
    if (!policy.metadata().mesh().equals(proxy.mesh())
        || KumaLabels.shadow(labels)
        || !zoneGate(labels, proxy)
        || !namespaceGate(labels, proxy)) {
      return Optional.empty();
    }
    Optional<String> why =
        switch (policy.targetRef().kind()) {
          case MESH -> mesh(policy.targetRef(), proxy, line);
          case DATAPLANE ->
              line == KumaLine.V2
                  ? dataplaneV2(policy, proxy)
                  : dataplaneV3(policy.targetRef(), proxy);
          case MESH_SUBSET -> meshSubset(policy, proxy, line, warnings);
        };
    why.ifPresent(w -> ignoredInV3(policy, line, warnings));
    return why.map(w -> namespaceNote(labels).map(n -> w + ", " + n).orElse(w));
  }

  /**
   * A zone-created policy applies only to proxies of its own zone
   * (docs/selection-and-merge.md#zone-gate).
   */
  static boolean zoneGate(Map<String, String> policy, ProxyDescriptor proxy) {
    if (KumaLabels.role(policy).equals(KumaLabels.PRODUCER)) {
      return true;
    }
    Optional<String> proxyOrigin = KumaLabels.get(proxy.labels(), KumaLabels.ORIGIN);
    if (proxyOrigin.isEmpty() || proxyOrigin.get().equals(KumaLabels.GLOBAL_ORIGIN)) {
      return true;
    }
    if (!KumaLabels.get(policy, KumaLabels.ORIGIN).equals(Optional.of(KumaLabels.ZONE_ORIGIN))) {
      return true;
    }
    Optional<String> policyZone = KumaLabels.get(policy, KumaLabels.ZONE);
    if (policyZone.isEmpty()) {
      return true;
    }
    return proxyOrigin.get().equals(KumaLabels.ZONE_ORIGIN)
        && (proxy.zone().isEmpty() || proxy.zone().equals(policyZone));
  }

  /**
   * A consumer or workload-owner policy applies only in its own namespace
   * (docs/selection-and-merge.md#namespace-gate).
   */
  static boolean namespaceGate(Map<String, String> policy, ProxyDescriptor proxy) {
    String role = KumaLabels.role(policy);
    if (!role.equals(KumaLabels.CONSUMER) && !role.equals(KumaLabels.WORKLOAD_OWNER)) {
      return true;
    }
    Optional<String> namespace = KumaLabels.get(policy, KumaLabels.NAMESPACE);
    return namespace.isPresent() && namespace.get().equals(proxy.namespace().orElse(""));
  }

  private static Optional<String> namespaceNote(Map<String, String> policy) {
    String role = KumaLabels.role(policy);
    if (!role.equals(KumaLabels.CONSUMER) && !role.equals(KumaLabels.WORKLOAD_OWNER)) {
      return Optional.empty();
    }
    return Optional.of(
        "in the policy's namespace " + KumaLabels.get(policy, KumaLabels.NAMESPACE).orElse(""));
  }

  private static Optional<String> mesh(TargetRef ref, ProxyDescriptor proxy, KumaLine line) {
    if (line == KumaLine.V2 && !proxyTypeMatches(ref, proxy)) {
      return Optional.empty();
    }
    boolean gateway =
        proxy.gateway() == GatewayKind.DELEGATED
            || (line == KumaLine.V2 && proxy.gateway() == GatewayKind.BUILTIN);
    if (inbounds(proxy, line) == 0 && !gateway) {
      return Optional.empty();
    }
    String types =
        line == KumaLine.V2
            ? ref.proxyTypes().map(Selection::typeList).map(t -> " of type " + t).orElse("")
            : "";
    return Optional.of("kind Mesh selects every proxy" + types + " of mesh " + proxy.mesh());
  }

  private static Optional<String> dataplaneV3(TargetRef ref, ProxyDescriptor proxy) {
    SortedMap<String, String> selector = ref.labels().orElse(new java.util.TreeMap<>());
    for (Map.Entry<String, String> pair : selector.entrySet()) {
      String actual =
          pair.getKey().equals(KumaLabels.DISPLAY_NAME)
              ? proxy.displayName()
              : proxy.labels().get(pair.getKey());
      if (!pair.getValue().equals(actual)) {
        return Optional.empty();
      }
    }
    return selectedInboundsOrGateway(
        proxy,
        KumaLine.V3,
        selector.isEmpty()
            ? "kind Dataplane without labels selects every proxy"
            : "kind Dataplane: the proxy has " + pairs(selector));
  }

  private static Optional<String> dataplaneV2(MeshPassthroughPolicy policy, ProxyDescriptor proxy) {
    if (proxy.gateway() == GatewayKind.BUILTIN) {
      return Optional.empty();
    }
    TargetRef ref = policy.targetRef();
    Optional<String> name = ref.name().filter(n -> !n.isEmpty());
    if (name.isPresent()) {
      Map<String, String> labels = policy.metadata().labels();
      String zone = KumaLabels.get(labels, KumaLabels.ZONE).orElse("");
      String namespace =
          ref.namespace()
              .filter(n -> !n.isEmpty())
              .or(() -> KumaLabels.get(labels, KumaLabels.NAMESPACE))
              .orElse("");
      boolean same =
          name.get().equals(proxy.displayName())
              && zone.equals(proxy.zone().orElse(""))
              && namespace.equals(proxy.namespace().orElse(""));
      return same
          ? selectedInboundsOrGateway(
              proxy,
              KumaLine.V2,
              "kind Dataplane: name "
                  + name.get()
                  + (namespace.isEmpty() ? "" : " in namespace " + namespace)
                  + (zone.isEmpty() ? "" : " of zone " + zone)
                  + " is the proxy")
          : Optional.empty();
    }
    if (ref.labels().isPresent()) {
      SortedMap<String, String> selector = ref.labels().get();
      for (Map.Entry<String, String> pair : selector.entrySet()) {
        if (!pair.getValue().equals(proxy.labels().get(pair.getKey()))) {
          return Optional.empty();
        }
      }
      return selectedInboundsOrGateway(
          proxy,
          KumaLine.V2,
          selector.isEmpty()
              ? "kind Dataplane with empty labels selects every proxy"
              : "kind Dataplane: the proxy has " + pairs(selector));
    }
    if (ref.namespace().isPresent()) {
      return Optional.empty(); // a namespace without a name or labels selects nothing
    }
    return selectedInboundsOrGateway(
        proxy, KumaLine.V2, "kind Dataplane without labels selects every proxy");
  }

  private static Optional<String> meshSubset(
      MeshPassthroughPolicy policy,
      ProxyDescriptor proxy,
      KumaLine line,
      Consumer<Problem> warnings) {
    if (line == KumaLine.V3) {
      warnings.accept(
          Problem.of(
                  UNSUPPORTED_KIND,
                  Severity.WARNING,
                  "unable to resolve TargetRef on policy: mesh:"
                      + policy.metadata().mesh()
                      + " name:"
                      + policy.metadata().name()
                      + " error:\"unsupported targetRef kind 'MeshSubset'\"")
              .of(policy.metadata().name())
              .at(FieldPath.of("spec", "targetRef", "kind")));
      return Optional.empty();
    }
    TargetRef ref = policy.targetRef();
    if (!proxyTypeMatches(ref, proxy)) {
      return Optional.empty();
    }
    SortedMap<String, String> tags = ref.tags().orElse(new java.util.TreeMap<>());
    List<String> inbounds =
        proxy.inbounds().stream()
            .filter(i -> contains(i.tags(), tags))
            .map(ProxyDescriptor.Inbound::sectionName)
            .toList();
    boolean gateway = proxy.gateway() != GatewayKind.NONE && contains(proxy.gatewayTags(), tags);
    if (inbounds.isEmpty() && !gateway) {
      return Optional.empty();
    }
    String what =
        tags.isEmpty()
            ? "every inbound"
            : "tags "
                + pairs(tags)
                + " on "
                + (inbounds.isEmpty() ? "the gateway" : "inbounds " + String.join(", ", inbounds));
    return Optional.of("kind MeshSubset selects " + what);
  }

  private static Optional<String> selectedInboundsOrGateway(
      ProxyDescriptor proxy, KumaLine line, String why) {
    if (inbounds(proxy, line) == 0 && proxy.gateway() != GatewayKind.DELEGATED) {
      return Optional.empty();
    }
    return Optional.of(why);
  }

  /** Every inbound counts, whatever its state; Kuma 3.x adds the embedded zone-proxy listeners. */
  private static int inbounds(ProxyDescriptor proxy, KumaLine line) {
    return proxy.inbounds().size() + (line == KumaLine.V3 ? proxy.listeners().size() : 0);
  }

  /** Kuma 2.x proxyTypes: Gateway means any gateway, Sidecar none. */
  private static boolean proxyTypeMatches(TargetRef ref, ProxyDescriptor proxy) {
    if (ref.proxyTypes().isEmpty()) {
      return true;
    }
    ProxyType type = proxy.gateway() == GatewayKind.NONE ? ProxyType.SIDECAR : ProxyType.GATEWAY;
    return ref.proxyTypes().get().contains(type);
  }

  private static void ignoredInV3(
      MeshPassthroughPolicy policy, KumaLine line, Consumer<Problem> warnings) {
    TargetRef ref = policy.targetRef();
    if (line != KumaLine.V3) {
      return;
    }
    String name = policy.metadata().name();
    if (ref.name().isPresent() || ref.namespace().isPresent()) {
      warnings.accept(
          Problem.of(
                  V3_NAME_IGNORED,
                  Severity.WARNING,
                  "Kuma 3.x has no targetRef.name or targetRef.namespace, "
                      + "so the stored policy selects by its labels only"
                      + (ref.labels().filter(l -> !l.isEmpty()).isEmpty()
                          ? ", which selects every proxy"
                          : "")
                      + ": select one proxy with labels {kuma.io/display-name: <name>, k8s.kuma.io/namespace: <namespace>}")
              .of(name)
              .at(
                  FieldPath.of(
                      "spec", "targetRef", ref.name().isPresent() ? "name" : "namespace")));
    }
    if (ref.proxyTypes().isPresent()) {
      warnings.accept(
          Problem.of(
                  V3_PROXY_TYPES_IGNORED,
                  Severity.WARNING,
                  "Kuma 3.x has no targetRef.proxyTypes, so the stored policy selects every proxy type")
              .of(name)
              .at(FieldPath.of("spec", "targetRef", "proxyTypes")));
    }
  }

  private static boolean contains(Map<String, String> tags, Map<String, String> selector) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())));
  }

  private static String pairs(Map<String, String> pairs) {
    return pairs.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String typeList(List<ProxyType> types) {
    return types.stream().map(ProxyType::wireName).collect(Collectors.joining(", "));
  }
}
