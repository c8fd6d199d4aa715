package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kuma's translation corpus against a real Envoy 1.40: every translation (the {@code kuma} profile,
 * the {@code exact} profile in both encodings) is accepted by the real Envoy exactly when {@link
 * EnvoyAcceptance} reports no error, and for connections aimed at each entry and near misses the
 * real Envoy decides as the simulator does, and, under the exact profile, as the policy means.
 *
 * <p>The Known Kuma limitations are in {@link RealKumaLimitationsTest}, the generated proof in
 * {@link RealEnvoyProofTest}.
 */
class RealEnvoyConformanceTest {
  static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma/translate");
  private static final java.util.concurrent.atomic.AtomicLong CONNECTIONS =
      new java.util.concurrent.atomic.AtomicLong();
  private static final PolicyValidator LENIENT =
      PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));

  /** The three configurations of the project: Kuma's, and the exact profile in both encodings. */
  enum Config {
    KUMA(TranslatorOptions.of(TranslationProfile.KUMA)),
    EXACT_LEGACY(TranslatorOptions.defaults()),
    EXACT_MATCHER(TranslatorOptions.defaults().withEncoding(Encoding.MATCHER));

    final TranslatorOptions options;

    Config(TranslatorOptions options) {
      this.options = options;
    }

    boolean exact() {
      return this != KUMA;
    }
  }

  /**
   * Whose proxy: the corpus case's own {@code proxy.yaml} (Kuma's test data, whose listeners have
   * no {@code use_original_dst}, so no transparent proxy redirects to them), or the default
   * dual-stack transparent sidecar, where connections do arrive and the intent can be judged.
   */
  enum Proxy {
    CORPUS,
    TRANSPARENT
  }

  static Stream<Arguments> decisionCases() throws IOException {
    return cases()
        .flatMap(a -> Stream.of(Proxy.values()).map(p -> Arguments.of(a.get()[0], a.get()[1], p)));
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      for (Path dir : dirs.sorted().toList()) {
        for (Config config : Config.values()) {
          cases.add(Arguments.of(dir.getFileName().toString(), config));
        }
      }
    }
    return cases.stream();
  }

  static PassthroughConf conf(String name) {
    return LENIENT
        .validate(
            PolicyParser.create()
                .parse(CORPUS.resolve(name).resolve("policy.yaml"))
                .documents()
                .get(0))
        .orElseThrow()
        .conf();
  }

  static TranslationResult translate(String name, Config config) throws IOException {
    return translate(name, config, Proxy.CORPUS);
  }

  static TranslationResult translate(String name, Config config, Proxy proxy) throws IOException {
    ProxyContext context =
        proxy == Proxy.CORPUS
            ? ProxyContext.read(CORPUS.resolve(name).resolve("proxy.yaml"))
            : ProxyContext.defaultTransparentProxy();
    return PassthroughTranslator.create(config.options).translate(conf(name), context);
  }

  /**
   * Whether EnvoyAcceptance predicts a rejection: any problem but a trap (which Envoy accepts and
   * runs wrongly).
   */
  static boolean predictsRejection(List<AcceptanceProblem> problems) {
    return problems.stream().anyMatch(p -> !p.rule().startsWith("trap."));
  }

  @org.junit.jupiter.api.AfterAll
  static void report() {
    System.err.printf(
        "real-Envoy corpus conformance: %d connections judged by real Envoy and simulator%n",
        CONNECTIONS.get());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void realEnvoyAccepts_exactlyWhenEnvoyAcceptanceFindsNoError(String name, Config config)
      throws IOException {
    TranslationResult resources = translate(name, config);
    List<AcceptanceProblem> predicted = EnvoyAcceptance.check(resources);
    LoadResult real = SharedRealEnvoy.get().load(resources);
    assertThat(real.accepted())
        .as("real Envoy: %s; EnvoyAcceptance: %s", real, predicted)
        .isEqualTo(!predictsRejection(predicted));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("decisionCases")
  void realEnvoyDecides_asTheSimulator_andUnderExact_asThePolicyMeans(
      String name, Config config, Proxy proxy) throws IOException {
    PassthroughConf conf = conf(name);
    TranslationResult resources = translate(name, config, proxy);
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThat(envoy.load(resources).accepted()).isTrue();
    PolicySimulation simulation = PolicySimulation.of(conf, resources);
    PolicyIntent intent = PolicyIntent.of(conf);
    List<Connection> connections = CorpusConnections.aimedAt(conf);
    List<Decision> decisions = envoy.decideAll(connections);
    CONNECTIONS.addAndGet(connections.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(i);
      Decision real = decisions.get(i);
      DecisionComparison.difference(real, simulation.simulate(connection))
          .ifPresent(d -> failures.add(connection + ": real Envoy and simulator differ: " + d));
      Intent meant = intent.judge(connection);
      if (config.exact() && proxy == Proxy.TRANSPARENT && meant.verdict() != real.verdict()) {
        failures.add(connection + ": real Envoy " + real + " but the policy means " + meant);
      }
    }
    assertThat(failures)
        .as("%d connections under %s %s %s", connections.size(), name, config, proxy)
        .isEmpty();
  }
}
