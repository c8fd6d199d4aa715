package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The promise of the exact profile, judged by a real Envoy 1.40: for generated policies (leniently
 * valid, so that overlapping entries occur) and connections aimed at them, in both encodings, the
 * real Envoy accepts the configuration exactly when {@link EnvoyAcceptance} finds no error, and
 * decides every connection as the simulator does and as the policy means: real Envoy == simulator
 * == intent.
 *
 * <p>Every {@code mvn verify}: 200 policies x 13 connections = 2,600 pairs per encoding (5,200 in
 * all), the two encodings judged at once by two Envoys. The long run, 100,000 pairs per encoding:
 * {@code mvn -B -pl testkit -am test -Dtest=RealEnvoyProofTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmeshpassthrough.realEnvoy.connections=500}.
 */
class RealEnvoyProofTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final ValidationOptions LENIENT =
      new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT);
  private static final int CONNECTIONS_PER_POLICY =
      Integer.getInteger("meshpassthrough.realEnvoy.connections", 13);
  private static final AtomicLong PAIRS = new AtomicLong();
  private static final AtomicLong LOADS = new AtomicLong();

  @Property(tries = 200, seed = "20261204", shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void realEnvoy_simulator_andIntent_agree_inBothEncodings(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    if (SharedRealEnvoy.skipped()) {
      return;
    }
    PassthroughConf conf = sample.get1();
    List<Connection> connections =
        sample.get2().stream().filter(c -> RealEnvoy.dialable(c.destination())).toList();
    PolicyIntent intent = PolicyIntent.of(conf);
    // The two encodings are judged at once, each by its own Envoy: the waits overlap.
    List<CompletableFuture<List<String>>> runs = new ArrayList<>();
    for (Encoding encoding : Encoding.values()) {
      RealEnvoy envoy = SharedRealEnvoy.get(encoding.ordinal());
      runs.add(
          CompletableFuture.supplyAsync(() -> judge(envoy, conf, intent, encoding, connections)));
    }
    List<String> failures = new ArrayList<>();
    runs.forEach(run -> failures.addAll(run.join()));
    assertThat(failures).as("under policy %s", conf).isEmpty();
  }

  private static List<String> judge(
      RealEnvoy envoy,
      PassthroughConf conf,
      PolicyIntent intent,
      Encoding encoding,
      List<Connection> connections) {
    List<String> failures = new ArrayList<>();
    PolicySimulation simulation =
        PolicySimulation.translate(
            conf, TranslatorOptions.defaults().withEncoding(encoding), PROXY);
    List<AcceptanceProblem> predicted = EnvoyAcceptance.check(simulation.resources());
    LoadResult loaded = envoy.load(simulation.resources());
    LOADS.incrementAndGet();
    if (loaded.accepted() == RealEnvoyConformanceTest.predictsRejection(predicted)) {
      failures.add(encoding + ": real Envoy " + loaded + ", EnvoyAcceptance " + predicted);
      return failures;
    }
    List<Decision> decisions = envoy.decideAll(connections);
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(i);
      Decision real = decisions.get(i);
      DecisionComparison.difference(real, simulation.simulate(connection))
          .ifPresent(
              d ->
                  failures.add(
                      encoding + " " + connection + ": real Envoy and simulator differ: " + d));
      Intent meant = intent.judge(connection);
      if (meant.verdict() != real.verdict()) {
        failures.add(
            encoding
                + " "
                + connection
                + ": real Envoy "
                + real
                + " but the policy means "
                + meant);
      }
      PAIRS.incrementAndGet();
    }
    return failures;
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndConnections() {
    return PassthroughArbitraries.confs(LENIENT)
        .flatMap(
            conf ->
                PassthroughArbitraries.connectionsFor(conf)
                    .list()
                    .ofSize(CONNECTIONS_PER_POLICY)
                    .map(c -> Tuple.of(conf, c)));
  }

  @AfterContainer
  static void report() {
    System.err.printf(
        "real-Envoy proof: %d configurations loaded, %d (connection, configuration) pairs judged by real Envoy, simulator and intent%n",
        LOADS.get(), PAIRS.get());
  }
}
