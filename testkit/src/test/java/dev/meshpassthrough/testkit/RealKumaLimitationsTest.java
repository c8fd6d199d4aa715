package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.envoy.DecisionComparison;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import dev.meshpassthrough.testkit.envoy.SharedRealEnvoy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six Known Kuma limitations of the README, each reproduced on a real Envoy 1.40 under the
 * {@code kuma} profile (the policy allows the connection, the real Envoy does not) and absent under
 * the {@code exact} profile; in both, the real Envoy decides as the simulator does.
 */
class RealKumaLimitationsTest {

  static java.util.stream.Stream<KumaLimitationsTest.Example> examples() {
    return KumaLimitationsTest.examples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void underTheKumaProfile_theRealEnvoyDeniesWhatThePolicyAllows(
      KumaLimitationsTest.Example example) {
    Decision real = decide(TranslationProfile.KUMA, example);
    assertThat(PolicyIntent.of(conf(example)).judge(example.connection()).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(real.verdict()).as("%s", real).isEqualTo(Verdict.DENY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void underTheExactProfile_theRealEnvoyAllowsIt(KumaLimitationsTest.Example example) {
    Decision real = decide(TranslationProfile.EXACT, example);
    assertThat(real.verdict()).as("%s", real).isEqualTo(Verdict.ALLOW);
  }

  private static PassthroughConf conf(KumaLimitationsTest.Example example) {
    return PassthroughConf.of(PassthroughMode.MATCHED, example.policy());
  }

  /** The real decision, after checking that the simulator makes the same one. */
  private static Decision decide(TranslationProfile profile, KumaLimitationsTest.Example example) {
    PolicySimulation simulation =
        PolicySimulation.translate(conf(example), profile, ProxyContext.defaultTransparentProxy());
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThat(envoy.load(simulation.resources()).accepted()).isTrue();
    Decision real = envoy.decide(example.connection());
    assertThat(DecisionComparison.difference(real, simulation.simulate(example.connection())))
        .as("real vs simulated")
        .isEmpty();
    return real;
  }
}
