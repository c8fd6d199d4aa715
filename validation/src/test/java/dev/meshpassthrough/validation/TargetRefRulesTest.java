package dev.meshpassthrough.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.WrittenTargetRef;
import dev.meshpassthrough.core.model.TargetRefKind;
import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TargetRefRulesTest {
  private static final PolicyValidator V2 =
      PolicyValidator.create(new ValidationOptions(KumaLine.V2));
  private static final PolicyValidator V3 =
      PolicyValidator.create(new ValidationOptions(KumaLine.V3));

  private static WrittenTargetRef ref(
      String kind,
      Map<String, String> labels,
      String name,
      String namespace,
      String sectionName,
      Map<String, String> tags,
      List<String> proxyTypes) {
    return new WrittenTargetRef(
        Optional.ofNullable(kind),
        Optional.ofNullable(labels).map(TreeMap::new),
        Optional.ofNullable(name),
        Optional.ofNullable(namespace),
        Optional.ofNullable(sectionName),
        Optional.ofNullable(tags).map(TreeMap::new),
        Optional.ofNullable(proxyTypes),
        Optional.empty());
  }

  private static List<String> violations(PolicyValidator validator, WrittenTargetRef ref) {
    return validator
        .validate(Documents.bare(Optional.of(ref), "None", List.of()))
        .violations()
        .stream()
        .map(v -> v.path() + ": " + v.message())
        .toList();
  }

  @Test
  void absentTargetRef_meansMesh() {
    ValidationResult result = V2.validate(Documents.bare(Optional.empty(), "None", List.of()));
    assertThat(result.orElseThrow().targetRef().kind()).isEqualTo(TargetRefKind.MESH);
  }

  @Test
  void missingKind_mustBeDefined() {
    assertThat(violations(V2, ref(null, null, null, null, null, null, null)))
        .containsExactly("spec.targetRef.kind: must be defined");
  }

  @Test
  void unsupportedKind_isNamed() {
    assertThat(violations(V2, ref("MeshService", null, null, null, null, null, null)))
        .containsExactly("spec.targetRef.kind: value 'MeshService' is not supported");
    assertThat(violations(V3, ref("MeshSubset", null, null, null, null, null, null)))
        .containsExactly("spec.targetRef.kind: value 'MeshSubset' is not supported");
    assertThat(violations(V2, ref("MeshSubset", null, null, null, null, Map.of("app", "x"), null)))
        .isEmpty();
  }

  @Test
  void meshWithLabelsOrSectionName_isRejected() {
    assertThat(violations(V3, ref("Mesh", Map.of("a", "b"), null, null, "http", null, null)))
        .containsExactly(
            "spec.targetRef.labels: must not be set with kind Mesh",
            "spec.targetRef.sectionName: must not be set with kind Mesh");
  }

  @Test
  void meshWithName_isNotYetSupportedInKuma2_andRemovedInKuma3() {
    assertThat(violations(V2, ref("Mesh", null, "x", null, null, null, null)))
        .containsExactly("spec.targetRef.name: using name with kind Mesh is not yet supported");
    assertThat(violations(V3, ref("Mesh", null, "x", null, null, null, null)))
        .singleElement()
        .asString()
        .startsWith("spec.targetRef.name: is not part of Kuma 3.x");
  }

  @Test
  void dataplaneWithSectionName_canOnlyBeUsedWithInboundPolicies() {
    assertThat(
            violations(V3, ref("Dataplane", Map.of("app", "web"), null, null, "http", null, null)))
        .containsExactly("spec.targetRef.sectionName: can only be used with inbound policies");
  }

  @Test
  void dataplaneWithLabelsAndName_isRejectedInKuma2() {
    assertThat(
            violations(V2, ref("Dataplane", Map.of("app", "web"), "web-1", null, null, null, null)))
        .containsExactly(
            "spec.targetRef.labels: either labels or name and namespace must be specified");
    assertThat(violations(V2, ref("Dataplane", null, "web-1", "shop", null, null, null))).isEmpty();
  }

  @Test
  void proxyTypes_mustNameKnownTypesAndNotBeEmpty() {
    assertThat(violations(V2, ref("Mesh", null, null, null, null, null, List.of()))).hasSize(1);
    assertThat(violations(V2, ref("Mesh", null, null, null, null, null, List.of("Sidecar", "Pod"))))
        .containsExactly(
            "spec.targetRef.proxyTypes[1]: value 'Pod' is not supported: use Sidecar or Gateway");
    assertThat(violations(V2, ref("Mesh", null, null, null, null, null, List.of("Gateway"))))
        .isEmpty();
  }

  @Test
  void typedTargetRef_keepsItsSelector() {
    ValidationResult result =
        V3.validate(
            Documents.bare(
                Optional.of(ref("Dataplane", Map.of("app", "web"), null, null, null, null, null)),
                "None",
                List.of()));
    assertThat(result.orElseThrow().targetRef().labels())
        .contains(new TreeMap<>(Map.of("app", "web")));
  }
}
