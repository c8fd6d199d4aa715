package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.DomainPinning;
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
import dev.meshpassthrough.testkit.Upstream;
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
import java.util.Optional;
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
 * <p>The pinned configurations ({@code dns} and {@code dynamic}) run on the pinning probe ({@link
 * CorpusPinning}): their connections are the corpus's with {@value Connection#DOCUMENTATION_IPV4}
 * (the corpus's dialed address for names) replaced by a loopback address, since an {@code
 * ORIGINAL_DST} cluster now really connects to what was dialed. Left out there: the connections
 * aimed at the corpus's IP and CIDR entries and the IPv6 ones (they dial {@code 10.0.0.0/8},
 * documentation or IPv6 addresses that cannot be made loopback without changing which entry they
 * hit; pinning does not change IP and CIDR entries, which the unpinned configurations judge on the
 * same corpus). For each allowed connection there, the upstream the real Envoy reached must be the
 * one its cluster names: the dialed address ({@code ORIGINAL_DST}), the endpoint's name ({@code
 * STRICT_DNS}), or the client's SNI or Host on the dialed port (dynamic forward proxy).
 *
 * <p>The Known Kuma limitations are in {@link RealKumaLimitationsTest}, the generated proof in
 * {@link RealEnvoyProofTest}.
 */
class RealEnvoyConformanceTest {
  static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma/translate");
  private static final java.util.concurrent.atomic.AtomicLong CONNECTIONS =
      new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong PINNED_TO_A_NAME =
      new java.util.concurrent.atomic.AtomicLong();
  private static final PolicyValidator LENIENT =
      PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));

  /**
   * The configurations of the project: Kuma's, and the exact profile in both encodings, without
   * domain pinning (Kuma 2.x's default) and with each kind of pinning.
   */
  enum Config {
    KUMA(TranslatorOptions.of(TranslationProfile.KUMA)),
    EXACT_LEGACY(TranslatorOptions.defaults()),
    EXACT_MATCHER(TranslatorOptions.defaults().withEncoding(Encoding.MATCHER)),
    EXACT_LEGACY_DNS(TranslatorOptions.defaults().withDomainPinning(DomainPinning.DNS)),
    EXACT_MATCHER_DNS(
        TranslatorOptions.defaults()
            .withEncoding(Encoding.MATCHER)
            .withDomainPinning(DomainPinning.DNS)),
    EXACT_LEGACY_DYNAMIC(TranslatorOptions.defaults().withDomainPinning(DomainPinning.DYNAMIC)),
    EXACT_MATCHER_DYNAMIC(
        TranslatorOptions.defaults()
            .withEncoding(Encoding.MATCHER)
            .withDomainPinning(DomainPinning.DYNAMIC));

    final TranslatorOptions options;

    Config(TranslatorOptions options) {
      this.options = options;
    }

    boolean exact() {
      return this != KUMA;
    }

    /** Pinned configurations run on the pinning probe: their clusters resolve names. */
    boolean pinned() {
      return exact() && options.effectiveDomainPinning() != DomainPinning.OFF;
    }

    RealEnvoy envoy(Proxy proxy) throws IOException {
      return pinned() ? CorpusPinning.envoy(proxy) : SharedRealEnvoy.get();
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
        "real-Envoy corpus conformance: %d connections judged by real Envoy and simulator,"
            + " %d of them sent by a pinned configuration to a name Envoy resolved%n",
        CONNECTIONS.get(), PINNED_TO_A_NAME.get());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void realEnvoyAccepts_exactlyWhenEnvoyAcceptanceFindsNoError(String name, Config config)
      throws IOException {
    TranslationResult resources = translate(name, config);
    List<AcceptanceProblem> predicted = EnvoyAcceptance.check(resources);
    LoadResult real = config.envoy(Proxy.CORPUS).load(resources);
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
    RealEnvoy envoy = config.envoy(proxy);
    LoadResult loaded = envoy.load(resources);
    assertThat(loaded.accepted()).as("%s", loaded).isTrue();
    PolicySimulation simulation = PolicySimulation.of(conf, resources);
    PolicyIntent intent =
        config.exact()
            ? PolicyIntent.of(conf, config.options.effectiveDomainPinning())
            : PolicyIntent.of(conf);
    List<Connection> connections =
        config.pinned() ? CorpusPinning.aimedAt(conf, proxy) : CorpusConnections.aimedAt(conf);
    List<Decision> decisions = envoy.decideAll(connections);
    CONNECTIONS.addAndGet(connections.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(i);
      Decision real = decisions.get(i);
      Decision simulated = simulation.simulate(connection);
      DecisionComparison.difference(real, simulated)
          .ifPresent(d -> failures.add(connection + ": real Envoy and simulator differ: " + d));
      if (config.pinned()
          && simulated.upstream().isPresent()
          && !simulated.upstream().equals(real.upstream())) {
        failures.add(
            connection + ": simulator upstream " + simulated.upstream() + " != " + real.upstream());
      }
      Intent meant = intent.judge(connection);
      if (config.exact() && proxy == Proxy.TRANSPARENT && meant.verdict() != real.verdict()) {
        failures.add(connection + ": real Envoy " + real + " but the policy means " + meant);
      }
      if (config.pinned()
          && proxy == Proxy.TRANSPARENT
          && real.isAllowed()
          && (real.upstream().isEmpty() || !meant.upstreams().contains(real.upstream().get()))) {
        failures.add(
            connection
                + ": real Envoy reached "
                + real.upstream()
                + " but the policy means "
                + meant.upstreams());
      }
      if (config.pinned() && real.isAllowed()) {
        Optional<Upstream> translated = CorpusPinning.translated(resources, real, connection);
        if (real.upstream().filter(u -> u.kind() == Upstream.Kind.DNS_NAME).isPresent()) {
          PINNED_TO_A_NAME.incrementAndGet();
        }
        if (!real.upstream().equals(translated)) {
          failures.add(
              connection
                  + ": real Envoy reached "
                  + real.upstream()
                  + " but its cluster "
                  + real.cluster()
                  + " leads to "
                  + translated);
        }
      }
    }
    assertThat(failures)
        .as("%d connections under %s %s %s", connections.size(), name, config, proxy)
        .isEmpty();
  }
}
