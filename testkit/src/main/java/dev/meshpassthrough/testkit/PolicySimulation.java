package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.DomainPinning;
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
  private final DomainPinning pinning;
  private final String description;

  private PolicySimulation(
      Optional<PassthroughConf> conf,
      TranslationResult resources,
      Optional<KumaLimitationClassifier> classifier,
      DomainPinning pinning,
      String description) {
    this.conf = conf;
    this.resources = resources;
    this.simulator = EnvoySimulator.of(resources);
    this.classifier = classifier;
    this.pinning = pinning;
    this.description = description;
  }

  /**
   * Translates {@code conf} for {@code proxy} with {@code profile}; explanations under {@link
   * TranslationProfile#KUMA} name the {@link KumaLimitation} behind a disagreement.
   *
   * @param conf the effective conf to translate, not null
   * @param profile the translation profile, with its default 503 body and encoding; not null
   * @param proxy the proxy to translate for, not null
   * @return the simulation of the translated resources, never null
   * @throws dev.meshpassthrough.envoy.TranslationException when the conf cannot be translated
   */
  public static PolicySimulation translate(
      PassthroughConf conf, TranslationProfile profile, ProxyContext proxy) {
    return translate(conf, TranslatorOptions.of(profile), proxy);
  }

  /**
   * Translates {@code conf} for {@code proxy} with {@code options}; see {@link
   * #translate(PassthroughConf, TranslationProfile, ProxyContext)}. Explanations judge the upstream
   * against the intent under the options' {@link TranslatorOptions#effectiveDomainPinning()}: pass
   * {@code TranslatorOptions.defaults().withDomainPinning(DomainPinning.DYNAMIC)} to simulate a
   * pinning mode.
   *
   * @param conf the effective conf to translate, not null
   * @param options the translator options, not null
   * @param proxy the proxy to translate for, not null
   * @return the simulation of the translated resources, never null
   * @throws NullPointerException when an argument is null
   * @throws dev.meshpassthrough.envoy.TranslationException when the conf cannot be translated
   */
  public static PolicySimulation translate(
      PassthroughConf conf, TranslatorOptions options, ProxyContext proxy) {
    Objects.requireNonNull(conf, "conf");
    PassthroughTranslator translator = PassthroughTranslator.create(options);
    TranslationResult resources =
        translator.translate(conf, Objects.requireNonNull(proxy, "proxy"));
    Optional<KumaLimitationClassifier> classifier =
        options.profile() == TranslationProfile.KUMA
            ? Optional.of(new KumaLimitationClassifier(conf, translator, proxy))
            : Optional.empty();
    return new PolicySimulation(
        Optional.of(conf),
        resources,
        classifier,
        options.effectiveDomainPinning(),
        describe(conf, options));
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
  public static PolicySimulation of(
      PassthroughConf conf,
      TranslationResult resources,
      TranslatorOptions options,
      ProxyContext proxy) {
    Objects.requireNonNull(conf, "conf");
    Optional<KumaLimitationClassifier> classifier =
        options.profile() == TranslationProfile.KUMA
            ? Optional.of(
                new KumaLimitationClassifier(
                    conf,
                    PassthroughTranslator.create(options),
                    Objects.requireNonNull(proxy, "proxy")))
            : Optional.empty();
    return new PolicySimulation(
        Optional.of(conf),
        Objects.requireNonNull(resources, "resources"),
        classifier,
        options.effectiveDomainPinning(),
        describe(conf, options));
  }

  /**
   * A conf and the resources it was translated into elsewhere; explanations name no limitation and
   * expect no pinning ({@link DomainPinning#OFF}).
   *
   * @param conf the effective conf, not null
   * @param resources what it was translated into, not null; not checked against the conf
   * @return the simulation, never null
   * @throws NullPointerException when an argument is null
   */
  public static PolicySimulation of(PassthroughConf conf, TranslationResult resources) {
    return new PolicySimulation(
        Optional.of(Objects.requireNonNull(conf, "conf")),
        Objects.requireNonNull(resources, "resources"),
        Optional.empty(),
        DomainPinning.OFF,
        "policy " + describe(conf) + ", given resources");
  }

  /**
   * Resources without a policy: connections can be simulated, not explained.
   *
   * @param resources the listeners and clusters to simulate, not null
   * @return a simulation without a conf, never null
   * @throws NullPointerException when {@code resources} is null
   */
  public static PolicySimulation ofResources(TranslationResult resources) {
    return new PolicySimulation(
        Optional.empty(),
        Objects.requireNonNull(resources, "resources"),
        Optional.empty(),
        DomainPinning.OFF,
        "given resources");
  }

  /**
   * The conf, when there is one.
   *
   * @return the conf, or empty for a simulation of {@link #ofResources}; never null
   */
  public Optional<PassthroughConf> conf() {
    return conf;
  }

  /**
   * The listeners and clusters simulated.
   *
   * @return the resources, translated here or given; never null
   */
  public TranslationResult resources() {
    return resources;
  }

  /**
   * What Envoy does with {@code connection}.
   *
   * @param connection the connection the application opens, not null
   * @return the decision with its trace, never null
   * @throws UnsupportedOperationException when the connection's path needs configuration the
   *     simulator does not model; see {@link EnvoySimulator#simulate(Connection)}
   */
  public Decision simulate(Connection connection) {
    return simulator.simulate(connection);
  }

  /**
   * The intent of the conf and Envoy's decision for {@code connection}, with the known Kuma
   * limitation when they disagree under the {@code kuma} profile.
   *
   * @param connection the connection the application opens, not null
   * @return the connection, its intent, Envoy's decision and, for a disagreement the classifier
   *     recognises, the Kuma limitation; never null
   * @throws IllegalStateException when there is no conf ({@link #ofResources})
   */
  public Explanation explain(Connection connection) {
    PassthroughConf policy =
        conf.orElseThrow(
            () -> new IllegalStateException("resources without a policy cannot be explained"));
    Intent intent = PolicyIntent.of(policy, pinning).judge(connection);
    Decision decision = simulator.simulate(connection);
    Optional<KumaLimitation> limitation =
        intent.verdict() == decision.verdict()
            ? Optional.empty()
            : classifier.flatMap(c -> c.classify(connection, intent, decision));
    return new Explanation(connection, intent, decision, limitation);
  }

  /** For example {@code policy Matched [Domain api.example.com:443/tls], profile KUMA}. */
  @Override
  public String toString() {
    return description;
  }

  private static String describe(PassthroughConf conf, TranslatorOptions options) {
    DomainPinning pinning = options.effectiveDomainPinning();
    return "policy "
        + describe(conf)
        + ", profile "
        + options.profile()
        + (pinning == DomainPinning.OFF ? "" : ", pinning " + pinning.wireName());
  }

  private static String describe(PassthroughConf conf) {
    return conf.passthroughMode().map(m -> m.wireName()).orElse("(mode unset)")
        + " "
        + conf.matches();
  }
}
