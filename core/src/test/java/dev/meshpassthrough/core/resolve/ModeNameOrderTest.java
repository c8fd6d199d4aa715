package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.TargetRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warning when only the name order chooses between contradicting passthroughModes (Kuma gives
 * none).
 */
class ModeNameOrderTest {
  private static final PolicyResolver RESOLVER = PolicyResolver.create();
  private static final ControlPlaneContext V2 = ControlPlaneContext.zone(KumaLine.V2);

  private static Resolution resolve(MeshPassthroughPolicy... policies) {
    return RESOLVER.resolve(List.of(policies), Fixtures.web().build(), V2);
  }

  @Test
  void equalRanksWithContradictingModes_warnNamingWinnerLoserAndWhy() {
    MeshPassthroughPolicy lockdown =
        Fixtures.policy("lockdown", TargetRef.mesh(), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy allowAll =
        Fixtures.policy("allow-all", TargetRef.mesh(), Fixtures.mode(PassthroughMode.ALL));

    Resolution resolution = resolve(lockdown, allowAll);

    assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.ALLOW_ALL);
    assertThat(resolution.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.ruleId()).isEqualTo("resolve.mode.name-order");
              assertThat(w.severity()).isEqualTo(Severity.WARNING);
              assertThat(w.policy()).isEmpty();
              assertThat(w.path()).hasValue(FieldPath.of("spec", "default", "passthroughMode"));
            });
    assertThat(resolution.warningTexts())
        .containsExactly(
            "spec.default.passthroughMode: passthroughMode All of policy allow-all "
                + "overrides None of policy lockdown only by name order: both are kind Mesh with origin zone and role system, so the "
                + "display name decides, and 'allow-all' sorts before 'lockdown'; rename one or make one more specific if the other "
                + "should win [resolve.mode.name-order]");
  }

  @Test
  void equalDisplayNames_sayTheCoreNameDecides() {
    MeshPassthroughPolicy a =
        Fixtures.policy(
            "a.shop",
            Fixtures.zoneLabels("same"),
            TargetRef.mesh(),
            Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy b =
        Fixtures.policy(
            "b.shop",
            Fixtures.zoneLabels("same"),
            TargetRef.mesh(),
            Fixtures.mode(PassthroughMode.ALL));

    assertThat(resolve(a, b).warningTexts())
        .singleElement()
        .asString()
        .contains("passthroughMode None of policy a.shop overrides All of policy b.shop")
        .contains("the core name decides")
        .contains("'a.shop' sorts before 'b.shop'");
  }

  @Test
  void aHigherRankOrAgreeingModesOrAnUnsetMode_doNotWarn() {
    MeshPassthroughPolicy mesh =
        Fixtures.policy("a-mesh", TargetRef.mesh(), Fixtures.mode(PassthroughMode.ALL));
    MeshPassthroughPolicy dataplane =
        Fixtures.policy(
            "z-dp", Fixtures.dataplane(Map.of("app", "web")), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy alsoNone =
        Fixtures.policy("b-none", TargetRef.mesh(), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy unset = Fixtures.policy("0-unset", TargetRef.mesh(), Fixtures.only());

    assertThat(resolve(mesh, dataplane).warnings()).isEmpty();
    assertThat(resolve(alsoNone, dataplane).warnings()).isEmpty();
    assertThat(resolve(unset, alsoNone).warnings()).isEmpty();
  }

  @Test
  void onlyPoliciesTiedWithTheWinnerCount_notTiesBelowIt() {
    MeshPassthroughPolicy a =
        Fixtures.policy("a", TargetRef.mesh(), Fixtures.mode(PassthroughMode.ALL));
    MeshPassthroughPolicy b =
        Fixtures.policy("b", TargetRef.mesh(), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy dataplane =
        Fixtures.policy(
            "dp", Fixtures.dataplane(Map.of("app", "web")), Fixtures.mode(PassthroughMode.MATCHED));

    assertThat(resolve(a, b, dataplane).warnings()).isEmpty();
  }
}
