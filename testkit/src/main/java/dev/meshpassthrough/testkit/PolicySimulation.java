package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.internal.KumaLimitationClassifier;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy and the Envoy resources of one proxy under it: simulates connections and explains them
 * against the policy's intent.
 *
 * <p>Immutable and thread-safe. Built by translating a conf ({@link #translate}), from a conf and
 * resources translated elsewhere ({@link #of}), or from resources alone ({@link #ofResources}),
 * which can be simulated but not explained.
 */
public final class PolicySimulation {
  private final Optional<PassthroughConf> conf;
  private final TranslationResult resources;
  private final EnvoySimulator simulator;
  private final Optional<KumaLimitationClassifier> classifier;
  private final String description;

  private PolicySimulation(Optional<PassthroughConf> conf, TranslationResult resources, Optional<KumaLimitationClassifier> classifier,
      String description) {
    this.conf = conf;
    this.resources = resources;
    this.simulator = EnvoySimulator.of(resources);
    this.classifier = classifier;
    this.description = description;
  }

  /**
   * Translates {@code conf} for {@code proxy} with {@code profile}; explanations under {@link
   * TranslationProfile#KUMA} name the {@link KumaLimitation} behind a disagreement.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the conf cannot be translated
   */
  public static PolicySimulation translate(PassthroughConf conf, TranslationProfile profile, ProxyContext proxy) {
    return translate(conf, TranslatorOptions.of(profile), proxy);
  }

  /**
   * Translates {@code conf} for {@code proxy} with {@code options}; see {@link
   * #translate(PassthroughConf, TranslationProfile, ProxyContext)}.
   *
   * @throws dev.meshpassthrough.envoy.TranslationException when the conf cannot be translated
   */
  public static PolicySimulation translate(PassthroughConf conf, TranslatorOptions options, ProxyContext proxy) {
    Objects.requireNonNull(conf, "conf");
    PassthroughTranslator translator = PassthroughTranslator.create(options);
    TranslationResult resources = translator.translate(conf, Objects.requireNonNull(proxy, "proxy"));
    Optional<KumaLimitationClassifier> classifier = options.profile() == TranslationProfile.KUMA
        ? Optional.of(new KumaLimitationClassifier(conf, translator, proxy)) : Optional.empty();
    return new PolicySimulation(Optional.of(conf), resources, classifier, "policy " + describe(conf) + ", profile " + options.profile());
  }

  /**
   * A conf and the resources a translator with {@code options} made of it for {@code proxy}
   * elsewhere (a {@code PassthroughPipeline} run): as {@link #translate(PassthroughConf,
   * TranslatorOptions, ProxyContext)}, without translating again; explanations under {@link
   * TranslationProfile#KUMA} name the {@link KumaLimitation} behind a disagreement.
   *
   * @param conf the effective conf
   * @param resources what it was translated into
   * @param options the translator options it was translated with
   * @param proxy the proxy it was translated for
   * @return the simulation
   */
  public static PolicySimulation of(PassthroughConf conf, TranslationResult resources, TranslatorOptions options, ProxyContext proxy) {
    Objects.requireNonNull(conf, "conf");
    Optional<KumaLimitationClassifier> classifier = options.profile() == TranslationProfile.KUMA
        ? Optional.of(new KumaLimitationClassifier(conf, PassthroughTranslator.create(options), Objects.requireNonNull(proxy, "proxy")))
        : Optional.empty();
    return new PolicySimulation(Optional.of(conf), Objects.requireNonNull(resources, "resources"), classifier,
        "policy " + describe(conf) + ", profile " + options.profile());
  }

  /** A conf and the resources it was translated into elsewhere; explanations name no limitation. */
  public static PolicySimulation of(PassthroughConf conf, TranslationResult resources) {
    return new PolicySimulation(Optional.of(Objects.requireNonNull(conf, "conf")), Objects.requireNonNull(resources, "resources"),
        Optional.empty(), "policy " + describe(conf) + ", given resources");
  }

  /** Resources without a policy: connections can be simulated, not explained. */
  public static PolicySimulation ofResources(TranslationResult resources) {
    return new PolicySimulation(Optional.empty(), Objects.requireNonNull(resources, "resources"), Optional.empty(), "given resources");
  }

  /** The conf, when there is one. */
  public Optional<PassthroughConf> conf() {
    return conf;
  }

  /** The listeners and clusters simulated. */
  public TranslationResult resources() {
    return resources;
  }

  /** What Envoy does with {@code connection}. */
  public Decision simulate(Connection connection) {
    return simulator.simulate(connection);
  }

  /**
   * The intent of the conf and Envoy's decision for {@code connection}, with the known Kuma
   * limitation when they disagree under the {@code kuma} profile.
   *
   * @throws IllegalStateException when there is no conf ({@link #ofResources})
   */
  public Explanation explain(Connection connection) {
    PassthroughConf policy = conf.orElseThrow(() -> new IllegalStateException("resources without a policy cannot be explained"));
    Intent intent = PolicyIntent.of(policy).judge(connection);
    Decision decision = simulator.simulate(connection);
    Optional<KumaLimitation> limitation = intent.verdict() == decision.verdict() ? Optional.empty()
        : classifier.flatMap(c -> c.classify(connection, intent, decision));
    return new Explanation(connection, intent, decision, limitation);
  }

  /** For example {@code policy Matched [Domain api.example.com:443/tls], profile KUMA}. */
  @Override
  public String toString() {
    return description;
  }

  private static String describe(PassthroughConf conf) {
    return conf.passthroughMode().map(m -> m.wireName()).orElse("(mode unset)") + " " + conf.matches();
  }
}
