package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Laws of resolution over generated policy sets and proxies. */
class ResolutionPropertiesTest {
  private static final PolicyResolver RESOLVER = PolicyResolver.create();

  /** A generated input: the policies, the same policies in another order, a proxy and a line. */
  record Scenario(
      KumaLine line,
      List<MeshPassthroughPolicy> policies,
      List<MeshPassthroughPolicy> shuffled,
      ProxyDescriptor proxy,
      ControlPlaneContext.MeshPassthroughSwitch meshSwitch) {
    ControlPlaneContext context() {
      return ControlPlaneContext.zone(line).withMeshPassthrough(meshSwitch);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return ResolveArbitraries.lines()
        .flatMap(
            line ->
                ResolveArbitraries.policies(12)
                    .flatMap(
                        policies ->
                            Arbitraries.shuffle(policies)
                                .flatMap(
                                    shuffled ->
                                        ResolveArbitraries.proxy(line)
                                            .flatMap(
                                                proxy ->
                                                    Arbitraries.of(
                                                            ControlPlaneContext
                                                                .MeshPassthroughSwitch.class)
                                                        .map(
                                                            s ->
                                                                new Scenario(
                                                                    line, policies, shuffled, proxy,
                                                                    s))))));
  }

  @Property(tries = 200, seed = "6001")
  void shufflingThePolicies_neverChangesTheResolution(@ForAll("scenarios") Scenario s) {
    Resolution original = RESOLVER.resolve(s.policies(), s.proxy(), s.context());
    Resolution shuffled = RESOLVER.resolve(s.shuffled(), s.proxy(), s.context());

    assertThat(shuffled).isEqualTo(original);
  }

  @Property(tries = 200, seed = "6002")
  void theIndex_selectsWhatTestingEveryPolicyAloneSelects(@ForAll("scenarios") Scenario s) {
    Resolution indexed = RESOLVER.resolve(s.policies(), s.proxy(), s.context());

    List<AppliedPolicy> alone = new ArrayList<>();
    for (MeshPassthroughPolicy policy : s.policies()) {
      alone.addAll(RESOLVER.resolve(List.of(policy), s.proxy(), s.context()).applied());
    }
    alone.sort(java.util.Comparator.comparing(AppliedPolicy::rankKeys, RankKeys.PRECEDENCE));
    assertThat(indexed.applied()).isEqualTo(alone);
  }

  @Property(tries = 300, seed = "6003")
  void appliedPolicies_areOfTheProxysMesh_notShadows_andSortedWeakestFirst(
      @ForAll("scenarios") Scenario s) {
    Resolution resolution = RESOLVER.resolve(s.policies(), s.proxy(), s.context());
    Statistics.label("several applied").collect(resolution.applied().size() > 1);
    Statistics.label("outcome").collect(resolution.outcome().kind());
    Statistics.label("several applied").coverage(c -> c.check(true).percentage(p -> p > 20));

    assertThat(resolution.applied())
        .allSatisfy(
            a -> {
              assertThat(a.policy().metadata().mesh()).isEqualTo(s.proxy().mesh());
              assertThat(a.policy().metadata().labels().get("kuma.io/effect"))
                  .isNotEqualTo("shadow");
            });
    assertThat(resolution.applied())
        .extracting(AppliedPolicy::rankKeys)
        .isSortedAccordingTo(RankKeys.PRECEDENCE);
    assertThat(resolution.merged().isPresent()).isEqualTo(!resolution.applied().isEmpty());
    if (resolution.effective().isPresent()) {
      assertThat(resolution.effective().get().passthroughMode()).isPresent();
      assertThat(resolution.effective().get().appendMatch())
          .isEqualTo(resolution.merged().orElseThrow().conf().appendMatch());
    }
  }

  /** What a control plane's reverse index relies on: the other policies change nothing. */
  @Property(tries = 300, seed = "6004")
  void resolvingWithTheInvolvedPoliciesAlone_givesTheSameResolution(
      @ForAll("scenarios") Scenario s) {
    Resolution all = RESOLVER.resolve(s.policies(), s.proxy(), s.context());
    List<MeshPassthroughPolicy> involved =
        s.policies().stream()
            .filter(p -> PolicyResolver.involves(p, s.proxy(), s.context()))
            .toList();
    Statistics.label("some policy not involved").collect(involved.size() < s.policies().size());
    Statistics.label("some policy not involved")
        .coverage(c -> c.check(true).percentage(p -> p > 20));

    assertThat(RESOLVER.resolve(involved, s.proxy(), s.context())).isEqualTo(all);
    // And every applied or warned-about policy is involved.
    for (AppliedPolicy applied : all.applied()) {
      assertThat(PolicyResolver.involves(applied.policy(), s.proxy(), s.context())).isTrue();
    }
  }
}
