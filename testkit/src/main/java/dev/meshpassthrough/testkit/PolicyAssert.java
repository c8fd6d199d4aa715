package dev.meshpassthrough.testkit;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.internal.ExplanationText;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Fluent assertions on what Envoy does with connections under a policy; start with {@link
 * PolicyAssertions}. Every assertion takes one or more connections and checks each; a failure
 * prints the intent, Envoy's decision and the trace (listener filters, each filter-chain level,
 * virtual host, cluster) of the first connection that fails.
 *
 * <p>Not thread-safe, like every AssertJ assertion; {@link #usingProfile} and {@link #onProxy}
 * return a new assertion on a new translation.
 */
public final class PolicyAssert extends AbstractAssert<PolicyAssert, PolicySimulation> {
  private final Optional<Translation> translation;

  PolicyAssert(PolicySimulation simulation) {
    this(simulation, Optional.empty());
  }

  private PolicyAssert(PolicySimulation simulation, Optional<Translation> translation) {
    super(simulation, PolicyAssert.class);
    this.translation = translation;
  }

  static PolicyAssert translating(PassthroughConf conf) {
    return new Translation(
            conf, TranslatorOptions.defaults(), ProxyContext.defaultTransparentProxy())
        .toAssert();
  }

  /**
   * The same policy translated with {@code profile}.
   *
   * @param profile the translation profile to use instead, not null
   * @return a new assertion on the policy translated with that profile for the same proxy; this
   *     assertion is unchanged
   * @throws AssertionError when the policy cannot be translated with that profile
   * @throws IllegalStateException when the assertion is on resources, not on a policy
   */
  public PolicyAssert usingProfile(TranslationProfile profile) {
    Translation current = requireTranslation();
    return new Translation(
            current.conf(),
            TranslatorOptions.of(Objects.requireNonNull(profile, "profile")),
            current.proxy())
        .toAssert();
  }

  /**
   * The same policy translated with {@code pinning}: where the exact profile sends the traffic of
   * Domain entries. {@link #agreesWithIntentOn} then also checks each allowed connection's upstream
   * against the pinning's intent.
   *
   * @param pinning the domain pinning, not null
   * @return a new assertion on the policy translated with that pinning, for the same profile and
   *     proxy; this assertion is unchanged
   * @throws AssertionError when the policy cannot be translated with that pinning
   * @throws IllegalArgumentException when the profile is {@link TranslationProfile#KUMA} and the
   *     pinning is not its Kuma line's
   * @throws IllegalStateException when the assertion is on resources, not on a policy
   */
  public PolicyAssert withDomainPinning(DomainPinning pinning) {
    Translation current = requireTranslation();
    return new Translation(
            current.conf(),
            current.options().withDomainPinning(Objects.requireNonNull(pinning, "pinning")),
            current.proxy())
        .toAssert();
  }

  /**
   * The same policy translated for {@code proxy} instead of the default transparent proxy.
   *
   * @param proxy the proxy to translate for, not null
   * @return a new assertion on the policy translated for that proxy with the same profile; this
   *     assertion is unchanged
   * @throws AssertionError when the policy cannot be translated for that proxy
   * @throws IllegalStateException when the assertion is on resources, not on a policy
   */
  public PolicyAssert onProxy(ProxyContext proxy) {
    Translation current = requireTranslation();
    return new Translation(
            current.conf(), current.options(), Objects.requireNonNull(proxy, "proxy"))
        .toAssert();
  }

  /**
   * Checks that Envoy lets each connection reach a cluster.
   *
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when Envoy denies a connection; the message explains the first one
   */
  public PolicyAssert allows(Connection... connections) {
    return each(
        connections,
        Decision::isAllowed,
        "Expected Envoy to allow the connection, but it denies it");
  }

  /**
   * Checks that Envoy closes each connection, stalls it or answers it itself.
   *
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when Envoy lets a connection reach a cluster; the message explains the
   *     first one
   */
  public PolicyAssert denies(Connection... connections) {
    return each(
        connections,
        d -> !d.isAllowed(),
        "Expected Envoy to deny the connection, but it allows it");
  }

  /**
   * Checks that Envoy answers each connection's HTTP request with {@code status} (for example 503).
   *
   * @param status the expected HTTP status code, such as 503 or 404
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when Envoy answers a connection with another status or not at all; the
   *     message explains the first one
   */
  public PolicyAssert respondsWith(int status, Connection... connections) {
    return each(
        connections,
        d -> d.httpStatus().isPresent() && d.httpStatus().getAsInt() == status,
        "Expected Envoy to answer with HTTP status " + status);
  }

  /**
   * Checks that Envoy sends each connection through the filter chain named {@code chain}.
   *
   * @param chain the expected chain name, as {@link Decision#chain()} gives it ({@code #index} for
   *     an unnamed chain); not null
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when a connection lands on another chain or on none; the message
   *     explains the first one
   */
  public PolicyAssert landsOnChain(String chain, Connection... connections) {
    return each(
        connections,
        d -> d.chain().equals(Optional.of(chain)),
        "Expected the connection to land on filter chain " + chain);
  }

  /**
   * Checks that Envoy sends each connection to {@code upstream}: the dialed address, a DNS name or
   * an endpoint, for example {@code Upstream.dnsName("api.example.com", 443)} under a domain
   * pinning.
   *
   * @param upstream where each connection must go, not null
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when a connection is denied or goes elsewhere; the message explains the
   *     first one
   */
  public PolicyAssert goesTo(Upstream upstream, Connection... connections) {
    Objects.requireNonNull(upstream, "upstream");
    return each(
        connections,
        d -> d.isAllowed() && d.upstream().equals(Optional.of(upstream)),
        "Expected the connection to go to " + upstream);
  }

  /**
   * Checks that Envoy does what the policy means for each connection ({@link PolicyIntent}): both
   * deny, or both allow and the connection goes to an upstream the intent lists (under the
   * translation's domain pinning).
   *
   * @param connections the connections to check, each on its own; none means nothing is checked
   * @return this assertion, for chaining
   * @throws AssertionError when Envoy's verdict differs from the intent's for a connection, or an
   *     allowed connection goes elsewhere; the message explains the first one
   * @throws IllegalStateException when the assertion is on resources without a policy
   */
  public PolicyAssert agreesWithIntentOn(Connection... connections) {
    isNotNull();
    for (Connection connection : connections) {
      Explanation explanation = actual.explain(connection);
      if (!explanation.agrees()) {
        String expectation =
            explanation.verdictsAgree()
                ? "Expected the connection to go to one of "
                    + explanation.intent().upstreams()
                    + ", but Envoy sends it to "
                    + explanation.decision().upstream().map(Object::toString).orElse("?")
                : "Expected Envoy to do what the policy means (intent "
                    + explanation.intent().verdict()
                    + "), but Envoy's decision is "
                    + explanation.decision().verdict();
        failWithMessage("%s", expectation + "\n" + explanation.toText());
      }
    }
    return myself;
  }

  private PolicyAssert each(
      Connection[] connections, Predicate<Decision> expected, String message) {
    isNotNull();
    for (Connection connection : connections) {
      Decision decision = actual.simulate(connection);
      if (!expected.test(decision)) {
        String details =
            actual.conf().isPresent()
                ? actual.explain(connection).toText()
                : "connection: " + connection + "\n" + ExplanationText.render(decision);
        failWithMessage("%s", message + " (" + decision + ")\n" + details);
      }
    }
    return myself;
  }

  private Translation requireTranslation() {
    return translation.orElseThrow(
        () ->
            new IllegalStateException(
                "the assertion is on given resources: there is no policy to translate"));
  }

  /** How the policy under test is translated. */
  private record Translation(PassthroughConf conf, TranslatorOptions options, ProxyContext proxy) {
    PolicyAssert toAssert() {
      try {
        return new PolicyAssert(
            PolicySimulation.translate(conf, options, proxy), Optional.of(this));
      } catch (TranslationException e) {
        throw new AssertionError(
            "the policy cannot be translated with profile "
                + options.profile()
                + ": "
                + String.join("; ", e.messages()),
            e);
      }
    }
  }
}
