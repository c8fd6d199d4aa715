package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.ProxyDescriptor.Applicability;
import dev.meshpassthrough.core.resolve.ProxyDescriptor.GatewayKind;
import dev.meshpassthrough.core.resolve.ProxyDescriptor.Outbound;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughApplicabilityTest {

  private static ProxyDescriptor proxy(Outbound outbound, GatewayKind gateway) {
    return ProxyDescriptor.builder("web", "default")
        .inbound(8080)
        .outbound(outbound)
        .gateway(gateway)
        .build();
  }

  @Test
  void aTransparentSidecar_takesThePolicy_onBothLines() {
    for (KumaLine line : KumaLine.values()) {
      Applicability applicability =
          proxy(Outbound.TRANSPARENT_PROXY, GatewayKind.NONE).passthroughApplicability(line);
      assertThat(applicability).isEqualTo(Applicability.APPLIES);
      assertThat(applicability.applies()).isTrue();
      assertThat(applicability.kumaWarning()).isEmpty();
    }
  }

  @Test
  void noTransparentProxyAndBindOutbounds_areSkipped_withKumasOneWarning_andTheirOwnReason() {
    Applicability none =
        proxy(Outbound.NO_TRANSPARENT_PROXY, GatewayKind.NONE)
            .passthroughApplicability(KumaLine.V3);
    Applicability bind =
        proxy(Outbound.BIND_OUTBOUNDS, GatewayKind.NONE).passthroughApplicability(KumaLine.V3);

    assertThat(List.of(none, bind)).noneMatch(Applicability::applies);
    assertThat(none.kumaWarning()).isEqualTo(bind.kumaWarning());
    assertThat(none.kumaWarning())
        .map(Problem::ruleId)
        .hasValue("kuma.resolve.proxy.no-transparent-proxy");
    assertThat(bind.reason())
        .isEqualTo("the proxy has feature-bind-outbounds, so it has no outbound passthrough");
    assertThat(none.reason())
        .isEqualTo("the proxy runs without a transparent proxy, so it has no outbound passthrough");
  }

  @Test
  void aBuiltinGateway_isSkippedByKuma2Only() {
    ProxyDescriptor gateway = proxy(Outbound.TRANSPARENT_PROXY, GatewayKind.BUILTIN);

    assertThat(gateway.passthroughApplicability(KumaLine.V2))
        .isEqualTo(Applicability.BUILTIN_GATEWAY);
    assertThat(gateway.passthroughApplicability(KumaLine.V2).kumaWarning())
        .map(Problem::message)
        .hasValue("policy doesn't support builtin gateway");
  }

  @Test
  void theResolver_restsNotAppliedOnTheSameDecision() {
    ProxyDescriptor bind = proxy(Outbound.BIND_OUTBOUNDS, GatewayKind.NONE);
    Resolution resolution =
        PolicyResolver.create()
            .resolve(
                List.of(
                    Fixtures.policy("mesh", TargetRef.mesh(), Fixtures.mode(PassthroughMode.NONE))),
                bind,
                ControlPlaneContext.zone(KumaLine.V3));

    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.NOT_APPLIED);
    assertThat(resolution.outcome().reason())
        .isEqualTo(
            bind.passthroughApplicability(KumaLine.V3).kumaWarning().orElseThrow().message());
    assertThat(resolution.warnings())
        .containsExactly(bind.passthroughApplicability(KumaLine.V3).kumaWarning().orElseThrow());
  }
}
