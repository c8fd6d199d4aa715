package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The index hands a proxy the policies that can select it, not every policy. */
class PolicyIndexTest {

  private static MeshPassthroughPolicy policy(String name, String mesh, TargetRef ref) {
    return new MeshPassthroughPolicy(
        new PolicyMetadata(name, mesh, Optional.empty(), new TreeMap<>()),
        ref,
        PassthroughConf.empty());
  }

  @Test
  void aThousandLabelledPolicies_giveAProxyOnlyTheOnesOfItsLabels() {
    List<MeshPassthroughPolicy> policies = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      policies.add(
          policy(
              "app-" + i,
              "default",
              TargetRef.dataplaneLabels(Map.of("app", "app-" + i, "team", "payments"))));
    }
    policies.add(policy("mesh-wide", "default", TargetRef.mesh()));
    policies.add(policy("other-mesh", "other", TargetRef.mesh()));
    PolicyIndex index = PolicyIndex.of(policies);
    ProxyDescriptor proxy =
        ProxyDescriptor.builder("p", "default")
            .labels(Map.of("app", "app-7", "team", "payments"))
            .inbound(80)
            .build();

    for (KumaLine line : KumaLine.values()) {
      assertThat(index.candidates(proxy, line))
          .extracting(p -> p.metadata().name())
          .containsExactlyInAnyOrder("app-7", "mesh-wide");
    }
  }

  @Test
  void theRarestPair_isTheIndexedOne_soACommonNamespaceDoesNotFloodTheBucket() {
    List<MeshPassthroughPolicy> policies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      policies.add(
          policy(
              "pod-" + i,
              "default",
              TargetRef.dataplaneLabels(
                  Map.of("k8s.kuma.io/namespace", "shop", "kuma.io/display-name", "web-" + i))));
    }
    PolicyIndex index = PolicyIndex.of(policies);
    ProxyDescriptor unlabelled =
        ProxyDescriptor.builder("web-3.shop", "default")
            .label("k8s.kuma.io/namespace", "shop")
            .inbound(80)
            .build();
    ProxyDescriptor labelled =
        ProxyDescriptor.builder("web-3.shop", "default")
            .labels(Map.of("k8s.kuma.io/namespace", "shop", "kuma.io/display-name", "web-3"))
            .inbound(80)
            .build();

    assertThat(index.candidates(labelled, KumaLine.V3))
        .extracting(p -> p.metadata().name())
        .containsExactly("pod-3");
    assertThat(index.candidates(labelled, KumaLine.V2))
        .extracting(p -> p.metadata().name())
        .containsExactly("pod-3");
    assertThat(index.candidates(unlabelled, KumaLine.V3))
        .as("v3 reads the display name of an unlabelled proxy")
        .isEmpty();
  }

  @Test
  void v2ByNamePolicies_areFiledUnderTheNameTheySelect_andV3ReadsThemAsSelectAll() {
    TargetRef byName =
        new TargetRef(
            dev.meshpassthrough.core.model.TargetRefKind.DATAPLANE,
            Optional.empty(),
            Optional.of("web-1"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    PolicyIndex index = PolicyIndex.of(List.of(policy("one", "default", byName)));
    ProxyDescriptor web1 = ProxyDescriptor.builder("web-1", "default").inbound(80).build();
    ProxyDescriptor web2 = ProxyDescriptor.builder("web-2", "default").inbound(80).build();

    assertThat(index.candidates(web1, KumaLine.V2)).hasSize(1);
    assertThat(index.candidates(web2, KumaLine.V2)).isEmpty();
    assertThat(index.candidates(web2, KumaLine.V3)).hasSize(1);
  }
}
