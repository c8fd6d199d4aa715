package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * Where the Envoy configuration of the {@code kuma} profile does not do what the policy says: over
 * random valid policies and connections aimed at them, every disagreement between the simulated
 * Envoy and {@link PolicyIntent} must be one of the documented {@link KumaLimitation}s, and each of
 * them must show up. A new kind of disagreement fails this test: name it, document it, or fix the
 * translator. Envoy must also accept every listener, and no connection may reach a chain that
 * cannot carry it.
 */
class KumaDivergencePropertiesTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  @Property(tries = 1500, seed = "20260501")
  void everyDisagreement_isAKnownKumaLimitation(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    // Registered before any Assume, so that every try registers it.
    Statistics.label("divergence")
        .coverage(
            coverage -> {
              for (KumaLimitation limitation : KumaLimitation.values()) {
                coverage.check(limitation.id()).count(n -> n > 0);
              }
            });
    Optional<PolicySimulation> simulation = translate(sample.get1());
    Assume.that(simulation.isPresent());
    for (Connection connection : sample.get2()) {
      Explanation explanation = simulation.get().explain(connection);
      String label =
          explanation.agrees()
              ? "agree"
              : explanation.knownLimitation().map(KumaLimitation::id).orElse("UNEXPLAINED");
      Statistics.label("divergence").collect(label);

      // The one protocol error a chain may give: Envoy resets an h2c request without :authority.
      boolean hostlessH2c =
          connection.payload() instanceof Connection.HttpRequest request
              && request.version() == Connection.HttpVersion.H2C
              && request.host().isEmpty();
      assertThat(explanation.decision().outcome())
          .as(
              "the translator's output is accepted by Envoy and complete:%n%s",
              explanation.toText())
          .isNotIn(Decision.Outcome.LISTENER_REJECTED, Decision.Outcome.NO_NETWORK_FILTER)
          .matches(
              outcome -> outcome != Decision.Outcome.PROTOCOL_ERROR || hostlessH2c,
              "no protocol error");
      assertThat(explanation.agrees() || explanation.knownLimitation().isPresent())
          .as(
              "an unexplained disagreement under policy %s:%n%s",
              sample.get1().matches(), explanation.toText())
          .isTrue();
    }
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndConnections() {
    return PassthroughArbitraries.confs()
        .flatMap(
            conf ->
                PassthroughArbitraries.connectionsFor(conf)
                    .list()
                    .ofSize(8)
                    .map(connections -> Tuple.of(conf, connections)));
  }

  /** Empty for the few valid confs the kuma translator refuses (they are skipped). */
  private static Optional<PolicySimulation> translate(PassthroughConf conf) {
    try {
      return Optional.of(PolicySimulation.translate(conf, TranslationProfile.KUMA, PROXY));
    } catch (TranslationException e) {
      Statistics.label("translation").collect("refused");
      return Optional.empty();
    }
  }
}
