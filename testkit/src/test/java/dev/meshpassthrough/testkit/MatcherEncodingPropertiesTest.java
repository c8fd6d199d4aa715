package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * The promise of the {@code exact} profile in the {@link Encoding#MATCHER} encoding, checked with
 * the same generated policies, connections and seed as {@link ExactProfilePropertiesTest}: Envoy's
 * {@code filter_chain_matcher} decision equals the policy's intent for every connection (verdict,
 * and the dialed address as upstream), and Envoy would accept every configuration. The pinning
 * modes are proved by {@link PinningPropertiesTest}.
 */
class MatcherEncodingPropertiesTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final ValidationOptions LENIENT =
      new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT);
  private static final TranslatorOptions MATCHER =
      TranslatorOptions.defaults().withEncoding(Encoding.MATCHER);
  private static final int CONNECTIONS_PER_POLICY =
      Integer.getInteger("meshpassthrough.proof.connections", 13);

  @Property(tries = 800, seed = "20260506")
  void envoyDoesWhatThePolicySays_forEveryConnection(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    PolicySimulation simulation = PolicySimulation.translate(sample.get1(), MATCHER, PROXY);
    assertThat(simulation.resources().listeners())
        .allSatisfy(
            listener -> {
              assertThat(listener.getFilterChainsList())
                  .allSatisfy(chain -> assertThat(chain.hasFilterChainMatch()).isFalse());
            });
    assertThat(EnvoyAcceptance.check(simulation.resources()))
        .as("acceptance of %s", sample.get1())
        .isEmpty();
    for (Connection connection : sample.get2()) {
      Explanation explanation = simulation.explain(connection);
      Statistics.label("verdict").collect(explanation.intent().verdict());

      assertThat(explanation.agrees())
          .as("under policy %s:%n%s", sample.get1(), explanation.toText())
          .isTrue();
    }
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndConnections() {
    return PassthroughArbitraries.confs(LENIENT)
        .flatMap(
            conf ->
                PassthroughArbitraries.connectionsFor(conf)
                    .list()
                    .ofSize(CONNECTIONS_PER_POLICY)
                    .map(connections -> Tuple.of(conf, connections)));
  }
}
