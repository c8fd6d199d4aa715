package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Entry points of the fluent assertions on policies, for JUnit 5 / AssertJ tests:
 *
 * <pre>{@code
 * import static dev.meshpassthrough.testkit.Connection.*;
 * import static dev.meshpassthrough.testkit.PolicyAssertions.assertThatPolicy;
 *
 * assertThatPolicy(yaml)
 *     .allows(tls("api.example.com", 443))
 *     .denies(http("evil.com", 80).dialing("1.2.3.4"));
 * }</pre>
 *
 * <p>A policy is parsed with {@link PolicyParser}, validated strictly with {@link PolicyValidator}
 * (a policy with an error fails the assertion, listing the violations), translated with the
 * translator's default profile ({@link dev.meshpassthrough.envoy.TranslatorOptions#defaults()}) for
 * {@link dev.meshpassthrough.envoy.ProxyContext#defaultTransparentProxy()} (see {@link
 * PolicyAssert#usingProfile} and {@link PolicyAssert#onProxy}), and every connection is simulated
 * with {@link EnvoySimulator}. A failing assertion prints the intent, Envoy's decision and its
 * trace.
 */
public final class PolicyAssertions {
  private PolicyAssertions() {}

  /**
   * Assertions on the one MeshPassthrough document in {@code yaml} (YAML or JSON; Kubernetes,
   * Universal or a bare spec), validated strictly for Kuma 2.x.
   *
   * @param yaml the text of exactly one MeshPassthrough document, YAML or JSON; not null
   * @return an assertion on the policy translated with the default profile for the default
   *     transparent proxy; never null
   * @throws AssertionError when the text does not hold exactly one valid policy
   */
  public static PolicyAssert assertThatPolicy(String yaml) {
    return assertThatPolicy(yaml, ValidationOptions.defaults());
  }

  /**
   * Assertions on the one MeshPassthrough document in {@code yaml}, validated with {@code options}.
   *
   * @param yaml the text of exactly one MeshPassthrough document, YAML or JSON; not null
   * @param options the Kuma line and strictness to validate with, not null; validation warnings do
   *     not fail the assertion
   * @return an assertion on the policy translated with the default profile for the default
   *     transparent proxy; never null
   * @throws NullPointerException when {@code yaml} is null
   * @throws AssertionError when the text does not hold exactly one policy valid under {@code
   *     options}
   */
  public static PolicyAssert assertThatPolicy(String yaml, ValidationOptions options) {
    ParseResult parsed =
        PolicyParser.create().parse(Objects.requireNonNull(yaml, "yaml"), "policy");
    if (!parsed.isClean()) {
      throw new AssertionError(
          "the policy cannot be read:\n"
              + parsed.problems().stream().map(Object::toString).collect(Collectors.joining("\n")));
    }
    if (parsed.documents().size() != 1) {
      throw new AssertionError(
          "expected exactly one MeshPassthrough document, got " + parsed.documents().size());
    }
    PolicyDocument document = parsed.documents().get(0);
    ValidationResult result = PolicyValidator.create(options).validate(document);
    if (!result.isValid()) {
      throw new AssertionError(
          "the policy is invalid:\n"
              + result.errors().stream()
                  .map(v -> v.path() + ": " + v.message() + " [" + v.ruleId() + "]")
                  .collect(Collectors.joining("\n")));
    }
    return assertThatPolicy(result.orElseThrow());
  }

  /**
   * Assertions on a validated policy: its {@code spec.default} is the proxy's conf.
   *
   * @param policy the typed policy, not null
   * @return an assertion on its conf translated with the default profile for the default
   *     transparent proxy; never null
   * @throws AssertionError when the conf cannot be translated
   */
  public static PolicyAssert assertThatPolicy(MeshPassthroughPolicy policy) {
    return assertThatPolicy(Objects.requireNonNull(policy, "policy").conf());
  }

  /**
   * Assertions on a proxy's effective conf.
   *
   * @param conf the effective conf, for example the merge of several policies; not null
   * @return an assertion on the conf translated with the default profile for the default
   *     transparent proxy; never null
   * @throws AssertionError when the conf cannot be translated
   */
  public static PolicyAssert assertThatPolicy(PassthroughConf conf) {
    return PolicyAssert.translating(Objects.requireNonNull(conf, "conf"));
  }

  /**
   * Assertions on resources translated elsewhere, judged against {@code conf}'s intent where an
   * assertion needs one.
   *
   * @param conf the effective conf the resources were translated from, not null
   * @param resources the listeners and clusters to simulate, not null
   * @return an assertion on those resources, never null; {@link PolicyAssert#usingProfile} and
   *     {@link PolicyAssert#onProxy} throw on it, having nothing to translate
   */
  public static PolicyAssert assertThatResources(
      PassthroughConf conf, TranslationResult resources) {
    return new PolicyAssert(PolicySimulation.of(conf, resources));
  }

  /**
   * Assertions on resources alone: {@code allows} and {@code denies}, no intent.
   *
   * @param resources the listeners and clusters to simulate, not null
   * @return an assertion on those resources, never null; {@link PolicyAssert#agreesWithIntentOn}
   *     throws on it, having no policy
   */
  public static PolicyAssert assertThatResources(TranslationResult resources) {
    return new PolicyAssert(PolicySimulation.ofResources(resources));
  }
}
