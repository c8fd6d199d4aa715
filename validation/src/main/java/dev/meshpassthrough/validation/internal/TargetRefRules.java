package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import dev.meshpassthrough.core.model.ProxyType;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.model.TargetRefKind;
import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of the top-level {@code targetRef} (docs/selection-and-merge.md#target-ref-rules and
 * docs/selection-and-merge.md#targetref-checks), per Kuma version.
 */
final class TargetRefRules {
  static final String KIND_REQUIRED = "kuma.target-ref.kind.required";
  static final String KIND_SUPPORTED = "kuma.target-ref.kind.supported";
  static final String FIELD_NOT_ALLOWED = "kuma.target-ref.field.not-allowed";
  static final String SECTION_NAME = "kuma.target-ref.section-name";
  static final String LABELS_OR_NAME = "kuma.target-ref.labels-or-name";
  static final String MESH_NAME = "kuma.target-ref.mesh-name";
  static final String REMOVED_IN_V3 = "target-ref.field.removed-in-v3";
  static final String PROXY_TYPES = "target-ref.proxy-types";

  private final ViolationSink sink;
  private final KumaLine version;

  TargetRefRules(ViolationSink sink, KumaLine version) {
    this.sink = sink;
    this.version = version;
  }

  /** Checks the targetRef and returns its typed form when it has no error. */
  Optional<TargetRef> check(Optional<WrittenTargetRef> written) {
    if (written.isEmpty()) {
      return Optional.of(TargetRef.mesh());
    }
    WrittenTargetRef ref = written.get();
    FieldPath path = Paths.TARGET_REF;
    if (ref.kind().isEmpty() || ref.kind().get().isEmpty()) {
      sink.error(path.field("kind"), KIND_REQUIRED, "must be defined");
      return Optional.empty();
    }
    Optional<TargetRefKind> kind = TargetRefKind.fromWireName(ref.kind().get());
    if (kind.isEmpty() || (version == KumaLine.V3 && kind.get() == TargetRefKind.MESH_SUBSET)) {
      sink.error(
          path.field("kind"), KIND_SUPPORTED, "value '" + ref.kind().get() + "' is not supported");
      return Optional.empty();
    }
    if (version == KumaLine.V3) {
      removedInV3(path, "name", ref.name().isPresent());
      removedInV3(path, "namespace", ref.namespace().isPresent());
      removedInV3(path, "tags", ref.tags().isPresent());
      removedInV3(path, "proxyTypes", ref.proxyTypes().isPresent());
      removedInV3(path, "mesh", ref.mesh().isPresent());
    }
    switch (kind.get()) {
      case MESH -> checkMesh(path, ref);
      case DATAPLANE -> checkDataplane(path, ref);
      case MESH_SUBSET -> checkMeshSubset(path, ref);
    }
    List<ProxyType> proxyTypes = checkProxyTypes(path, ref);
    if (sink.hasErrorUnder(path)) {
      return Optional.empty();
    }
    return Optional.of(
        new TargetRef(
            kind.get(),
            ref.labels(),
            ref.name(),
            ref.namespace(),
            ref.tags(),
            ref.proxyTypes().map(p -> proxyTypes)));
  }

  private void checkMesh(FieldPath path, WrittenTargetRef ref) {
    if (version == KumaLine.V2 && ref.name().isPresent()) {
      sink.error(path.field("name"), MESH_NAME, "using name with kind Mesh is not yet supported");
    }
    notAllowed(path, "labels", ref.labels().isPresent(), "Mesh");
    notAllowed(path, "sectionName", ref.sectionName().isPresent(), "Mesh");
    if (version == KumaLine.V2) {
      notAllowed(path, "tags", ref.tags().isPresent(), "Mesh");
      notAllowed(path, "namespace", ref.namespace().isPresent(), "Mesh");
      notAllowed(path, "mesh", ref.mesh().isPresent(), "Mesh");
    }
  }

  private void checkDataplane(FieldPath path, WrittenTargetRef ref) {
    if (ref.sectionName().isPresent()) {
      sink.error(path.field("sectionName"), SECTION_NAME, "can only be used with inbound policies");
    }
    if (version == KumaLine.V2) {
      boolean labels = ref.labels().filter(l -> !l.isEmpty()).isPresent();
      if (labels && (ref.name().isPresent() || ref.namespace().isPresent())) {
        sink.error(
            path.field("labels"),
            LABELS_OR_NAME,
            "either labels or name and namespace must be specified");
      }
      notAllowed(path, "tags", ref.tags().isPresent(), "Dataplane");
      notAllowed(path, "proxyTypes", ref.proxyTypes().isPresent(), "Dataplane");
      notAllowed(path, "mesh", ref.mesh().isPresent(), "Dataplane");
    }
  }

  private void checkMeshSubset(FieldPath path, WrittenTargetRef ref) {
    notAllowed(path, "labels", ref.labels().isPresent(), "MeshSubset");
    notAllowed(path, "name", ref.name().isPresent(), "MeshSubset");
    notAllowed(path, "namespace", ref.namespace().isPresent(), "MeshSubset");
    notAllowed(path, "sectionName", ref.sectionName().isPresent(), "MeshSubset");
    notAllowed(path, "mesh", ref.mesh().isPresent(), "MeshSubset");
  }

  private List<ProxyType> checkProxyTypes(FieldPath path, WrittenTargetRef ref) {
    List<ProxyType> out = new ArrayList<>();
    if (ref.proxyTypes().isEmpty() || version == KumaLine.V3) {
      return out;
    }
    List<String> written = ref.proxyTypes().get();
    if (written.isEmpty()) {
      sink.error(
          path.field("proxyTypes"),
          PROXY_TYPES,
          "must not be empty: leave proxyTypes out to select every proxy type");
    }
    for (int i = 0; i < written.size(); i++) {
      String value = written.get(i);
      Optional<ProxyType> type = ProxyType.fromWireName(value);
      if (type.isEmpty()) {
        sink.error(
            path.field("proxyTypes").index(i),
            PROXY_TYPES,
            "value '" + value + "' is not supported: use Sidecar or Gateway");
      } else {
        out.add(type.get());
      }
    }
    return out;
  }

  private void notAllowed(FieldPath path, String field, boolean present, String kind) {
    if (present) {
      sink.error(path.field(field), FIELD_NOT_ALLOWED, "must not be set with kind " + kind);
    }
  }

  private void removedInV3(FieldPath path, String field, boolean present) {
    if (present) {
      sink.error(path.field(field), REMOVED_IN_V3, "is not part of Kuma 3.x: " + migration(field));
    }
  }

  private static String migration(String field) {
    return switch (field) {
      case "name", "namespace" ->
          "select the proxy with labels {kuma.io/display-name: <name>, k8s.kuma.io/namespace: <namespace>}";
      case "tags" -> "select proxies with kind Dataplane and labels";
      case "proxyTypes" -> "remove it; kind Mesh selects sidecars and delegated gateways";
      default -> "remove it";
    };
  }
}
