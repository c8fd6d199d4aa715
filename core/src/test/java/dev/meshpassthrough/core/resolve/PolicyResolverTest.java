package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.ProxyType;
import dev.meshpassthrough.core.model.TargetRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the spec describes beyond the shared cases, and our answers to Kuma's open questions.
 */
class PolicyResolverTest {
  private static final PolicyResolver RESOLVER = PolicyResolver.create();
  private static final ControlPlaneContext V2 = ControlPlaneContext.zone(KumaLine.V2);
  private static final ControlPlaneContext V3 = ControlPlaneContext.zone(KumaLine.V3);
  private static final TargetRef MESH = TargetRef.mesh();

  private static Resolution resolve(
      ControlPlaneContext context, ProxyDescriptor proxy, MeshPassthroughPolicy... policies) {
    return RESOLVER.resolve(List.of(policies), proxy, context);
  }

  @Test
  void v2_byNameOutranksSelectAll_whereKumasOrderDependsOnInput() {
    MeshPassthroughPolicy byName =
        Fixtures.policy(
            "c-by-name", Fixtures.byName("web-1", null), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy byLabels =
        Fixtures.policy(
            "a-by-labels",
            Fixtures.dataplane(Map.of("app", "web")),
            Fixtures.mode(PassthroughMode.ALL));
    MeshPassthroughPolicy selectAll =
        Fixtures.policy("b-all", Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL));

    Resolution resolution = resolve(V2, Fixtures.web().build(), byName, byLabels, selectAll);

    assertThat(resolution.appliedNames()).containsExactly("b-all", "a-by-labels", "c-by-name");
    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.BLOCK_ALL);
    assertThat(resolution.applied().get(2).why())
        .isEqualTo("kind Dataplane: name web-1 of zone zone-1 is the proxy");
  }

  @Test
  void v3_readsAStoredNameAsAbsent_soThePolicySelectsEveryProxy_andSaysSo() {
    MeshPassthroughPolicy legacy =
        Fixtures.policy(
            "legacy", Fixtures.byName("web-9", "shop"), Fixtures.mode(PassthroughMode.NONE));

    Resolution v3 = resolve(V3, Fixtures.web().build(), legacy);
    Resolution v2 = resolve(V2, Fixtures.web().build(), legacy);

    assertThat(v3.appliedNames()).containsExactly("legacy");
    assertThat(v3.warningTexts())
        .containsExactly(
            "policy legacy: Kuma 3.x has no targetRef.name or targetRef.namespace, so "
                + "the stored policy selects by its labels only, which selects every proxy: select one proxy with labels "
                + "{kuma.io/display-name: <name>, k8s.kuma.io/namespace: <namespace>}");
    assertThat(v3.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.ruleId()).isEqualTo("resolve.target-ref.v3-name-ignored");
              assertThat(w.policy()).hasValue("legacy");
              assertThat(w.path()).hasValue(FieldPath.of("spec", "targetRef", "name"));
            });
    assertThat(v2.applied()).isEmpty();
  }

  @Test
  void fullTie_strongerIsTheSmallerCoreName() {
    Map<String, String> labels = Fixtures.zoneLabels("same");
    MeshPassthroughPolicy a =
        Fixtures.policy("a", labels, MESH, Fixtures.mode(PassthroughMode.ALL));
    MeshPassthroughPolicy b =
        Fixtures.policy("b", labels, MESH, Fixtures.mode(PassthroughMode.NONE));

    Resolution resolution = resolve(V3, Fixtures.web().build(), a, b);

    assertThat(resolution.appliedNames()).containsExactly("b", "a");
    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.ALLOW_ALL);
    assertThat(resolution.outcome().reason()).startsWith("passthroughMode All from a");
  }

  @Test
  void v2_builtinGateway_isSelectedByMesh_butNotApplied() {
    ProxyDescriptor gateway =
        ProxyDescriptor.builder("edge", "default")
            .gateway(ProxyDescriptor.GatewayKind.BUILTIN)
            .build();
    MeshPassthroughPolicy mesh = Fixtures.policy("mesh", MESH, Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy dataplane =
        Fixtures.policy("dp", Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL));

    Resolution resolution = resolve(V2, gateway, mesh, dataplane);

    assertThat(resolution.appliedNames()).containsExactly("mesh");
    assertThat(resolution.outcome())
        .isEqualTo(Outcome.of(Outcome.Kind.NOT_APPLIED, "policy doesn't support builtin gateway"));
    assertThat(resolution.effective()).isEmpty();
    assertThatThrownBy(() -> resolve(V3, gateway, mesh))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Kuma 3.x");
  }

  @Test
  void bindOutbounds_isNotApplied_withKumasWarning() {
    MeshPassthroughPolicy mesh = Fixtures.policy("mesh", MESH, Fixtures.mode(PassthroughMode.NONE));

    Resolution resolution =
        resolve(V3, Fixtures.web().outbound(ProxyDescriptor.Outbound.BIND_OUTBOUNDS).build(), mesh);

    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.NOT_APPLIED);
    assertThat(resolution.warningTexts())
        .containsExactly("policy doesn't support proxy running without transparent-proxy");
    assertThat(resolution.warnings())
        .extracting(Problem::ruleId)
        .containsExactly("kuma.resolve.proxy.no-transparent-proxy");
    assertThat(resolution.merged()).isPresent();
  }

  @Test
  void v2_proxyTypes_filterSidecarsAndGateways() {
    MeshPassthroughPolicy gatewaysOnly =
        Fixtures.policy(
            "gw", Fixtures.meshOf(ProxyType.GATEWAY), Fixtures.mode(PassthroughMode.NONE));
    ProxyDescriptor delegated =
        ProxyDescriptor.builder("kong", "default")
            .gateway(ProxyDescriptor.GatewayKind.DELEGATED)
            .build();

    assertThat(resolve(V2, Fixtures.web().build(), gatewaysOnly).applied()).isEmpty();
    assertThat(resolve(V2, delegated, gatewaysOnly).appliedNames()).containsExactly("gw");
    assertThat(resolve(V3, Fixtures.web().build(), gatewaysOnly).appliedNames())
        .containsExactly("gw");
    assertThat(resolve(V3, Fixtures.web().build(), gatewaysOnly).warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.ruleId()).isEqualTo("resolve.target-ref.v3-proxy-types-ignored");
              assertThat(w.path()).hasValue(FieldPath.of("spec", "targetRef", "proxyTypes"));
              assertThat(Resolution.warningText(w))
                  .isEqualTo(
                      "policy gw: Kuma 3.x has no targetRef.proxyTypes, so the stored policy selects every proxy type");
            });
  }

  @Test
  void v2_meshSubset_selectsByInboundTags_orByTheTagsOfADelegatedGateway() {
    MeshPassthroughPolicy subset =
        Fixtures.policy(
            "subset",
            Fixtures.meshSubset(Map.of("kuma.io/service", "web")),
            Fixtures.mode(PassthroughMode.NONE));
    ProxyDescriptor tagged =
        Fixtures.web()
            .inbound(
                new ProxyDescriptor.Inbound(
                    9090, Optional.of("http"), new TreeMap<>(Map.of("kuma.io/service", "web"))))
            .build();
    ProxyDescriptor gateway =
        ProxyDescriptor.builder("kong", "default")
            .gateway(ProxyDescriptor.GatewayKind.DELEGATED)
            .gatewayTags(Map.of("kuma.io/service", "web"))
            .build();

    assertThat(resolve(V2, Fixtures.web().build(), subset).applied()).isEmpty();
    assertThat(resolve(V2, tagged, subset).applied())
        .singleElement()
        .extracting(AppliedPolicy::why)
        .isEqualTo("kind MeshSubset selects tags kuma.io/service=web on inbounds http");
    assertThat(resolve(V2, gateway, subset).appliedNames()).containsExactly("subset");
  }

  @Test
  void v3_zoneProxyListeners_countAsInbounds() {
    ProxyDescriptor zoneProxy =
        ProxyDescriptor.builder("zone-ingress", "default")
            .listener(new ProxyDescriptor.ZoneProxyListener("ingress", 10001))
            .build();
    MeshPassthroughPolicy mesh = Fixtures.policy("mesh", MESH, Fixtures.mode(PassthroughMode.NONE));

    assertThat(resolve(V3, zoneProxy, mesh).appliedNames()).containsExactly("mesh");
    assertThat(resolve(V2, zoneProxy, mesh).applied()).isEmpty();
  }

  @Test
  void v3_displayNameLabel_fallsBackToTheProxysCoreName() {
    ProxyDescriptor unlabelled = ProxyDescriptor.builder("web-7", "default").inbound(8080).build();
    MeshPassthroughPolicy byDisplayName =
        Fixtures.policy(
            "one",
            Fixtures.dataplane(Map.of("kuma.io/display-name", "web-7")),
            Fixtures.mode(PassthroughMode.NONE));

    assertThat(resolve(V3, unlabelled, byDisplayName).appliedNames()).containsExactly("one");
    assertThat(resolve(V2, unlabelled, byDisplayName).applied()).isEmpty();
  }

  @Test
  void producerPolicies_crossZones_andOthersFromAnotherZoneDoNot() {
    Map<String, String> zone2 = new TreeMap<>(Fixtures.zoneLabels("other-zone"));
    zone2.put("kuma.io/zone", "zone-2");
    Map<String, String> producer = new TreeMap<>(zone2);
    producer.put("kuma.io/policy-role", "producer");

    Resolution resolution =
        resolve(
            V3,
            Fixtures.web().build(),
            Fixtures.policy("zone2", zone2, MESH, Fixtures.mode(PassthroughMode.NONE)),
            Fixtures.policy("producer", producer, MESH, Fixtures.mode(PassthroughMode.NONE)));

    assertThat(resolution.appliedNames()).containsExactly("producer");
  }

  @Test
  void crossPolicyProblems_nameThePoliciesAndTheirEntries() {
    MeshPassthroughPolicy http =
        Fixtures.policy(
            "a-http",
            MESH,
            Fixtures.matched(Fixtures.match("Domain", "example.com", null, Protocol.HTTP)));
    MeshPassthroughPolicy http2 =
        Fixtures.policy(
            "b-http2",
            Fixtures.selectAll(),
            Fixtures.only(
                Fixtures.match("IP", "10.0.0.1", 443, Protocol.TLS),
                Fixtures.match("Domain", "api.example.com", 9090, Protocol.HTTP2)));

    // Kuma 2.x: its translator fails such a merge (3.x drops the port-less domain instead).
    Resolution resolution = resolve(V2, Fixtures.web().build(), http, http2);

    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.TRANSLATION_ERROR);
    assertThat(resolution.outcome().problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ruleId()).isEqualTo(MatchConflicts.SAME_CHAIN_MATCH);
              assertThat(p.policies()).containsExactly("a-http", "b-http2");
              Problem structured = p.toProblem(Severity.ERROR);
              assertThat(structured.ruleId()).isEqualTo(p.ruleId());
              assertThat(structured.message()).isEqualTo(p.message());
              assertThat(structured.policy()).hasValue("a-http");
              assertThat(structured.path())
                  .hasValue(FieldPath.of("spec", "default", "appendMatch").index(0));
              assertThat(p.message())
                  .startsWith(
                      "a-http appendMatch[0] (Domain example.com:*/http) and b-http2 appendMatch[1] "
                          + "(Domain api.example.com:9090/http2) give Envoy two filter chains with the same match on port 9090");
            });
  }

  @Test
  void conflictsUnderNone_areAWarning_notAnError() {
    MeshPassthroughPolicy http =
        Fixtures.policy(
            "a", MESH, Fixtures.only(Fixtures.match("Domain", "x.com", 80, Protocol.HTTP)));
    MeshPassthroughPolicy grpc =
        Fixtures.policy(
            "b",
            Fixtures.selectAll(),
            new PassthroughConf(
                Optional.of(PassthroughMode.NONE),
                Optional.of(List.of(Fixtures.match("Domain", "y.com", 80, Protocol.GRPC)))));

    // Kuma 2.x: its translator would fail on two layer-7 protocols on one port (3.x drops one).
    Resolution resolution = resolve(V2, Fixtures.web().build(), http, grpc);

    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.BLOCK_ALL);
    assertThat(resolution.warnings())
        .extracting(Problem::ruleId)
        .containsExactly("resolve.append-match.ignored-conflict");
    assertThat(resolution.warningTexts())
        .singleElement()
        .asString()
        .startsWith("appendMatch is ignored while passthroughMode is None")
        .contains("you cannot configure http, http2, grpc on the same port 80");
  }

  @Test
  void policySet_rejectsTwoPoliciesOfOneMeshWithOneName() {
    MeshPassthroughPolicy one = Fixtures.policy("dup", MESH, Fixtures.mode(PassthroughMode.NONE));

    assertThatThrownBy(() -> PolicySet.of(List.of(one, one)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two policies of mesh default are named dup");
  }

  @Test
  void v3_dropsConflictingMergedEntries_withAWarningNamingPolicyAndEntry() {
    MeshPassthroughPolicy base =
        Fixtures.policy(
            "base",
            Fixtures.selectAll(),
            Fixtures.matched(
                Fixtures.match("Domain", "example.com", 8080, Protocol.HTTP),
                Fixtures.match("Domain", "api.example.com", null, Protocol.HTTP)));
    MeshPassthroughPolicy web =
        Fixtures.policy(
            "web",
            Fixtures.dataplane(Map.of("app", "web")),
            Fixtures.only(Fixtures.match("Domain", "another.com", 8080, Protocol.HTTP2)));

    Resolution v3 = resolve(V3, Fixtures.web().build(), base, web);
    Resolution v2 = resolve(V2, Fixtures.web().build(), base, web);

    assertThat(v3.outcome().kind()).isEqualTo(Outcome.Kind.ALLOW_MATCHED_ONLY);
    assertThat(v3.warnings())
        .extracting(Problem::ruleId, p -> p.policy().orElseThrow(), Resolution::warningText)
        .containsExactly(
            // The merged list holds web's entry first: it owns the chain of port 8080.
            tuple(
                "resolve.append-match.dropped",
                "base",
                "policy base: Kuma 3.x drops appendMatch[0] (Domain example.com:8080/http): protocols"
                    + " http2 and http produce the same filter chain for domains on port 8080"),
            tuple(
                "resolve.append-match.dropped",
                "base",
                "policy base: Kuma 3.x drops appendMatch[1] (Domain api.example.com:*/http): a domain"
                    + " needs a port, the sidecar resolves the domain to pin the destination"));
    // Kuma 2.x's translator fails the proxy instead.
    assertThat(v2.outcome().kind()).isEqualTo(Outcome.Kind.TRANSLATION_ERROR);
  }
}
