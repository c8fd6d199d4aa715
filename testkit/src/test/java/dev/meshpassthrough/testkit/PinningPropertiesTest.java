package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * The promise of the {@code exact} profile under each {@link DomainPinning}, checked by the
 * simulator with the generated policies, connections and seed of {@link
 * ExactProfilePropertiesTest}: Envoy does what the policy says (same verdict, and an allowed
 * connection goes to an upstream the pinning allows: {@link Intent#upstreams()}), in both
 * encodings, and Envoy would accept every configuration. {@link DomainPinning#OFF} is proved by
 * {@link ExactProfilePropertiesTest} ({@link Encoding#LEGACY}) and {@link
 * MatcherEncodingPropertiesTest} ({@link Encoding#MATCHER}) with 800 tries; {@link
 * DomainPinning#DNS} and {@link DomainPinning#DYNAMIC} here with 300 tries each per encoding (4 x
 * 300 policies x 13 connections = 15,600 pairs), to keep {@code mvn verify} quick.
 *
 * <p>The spoofing properties send an allowed name while dialing an unrelated address ({@link
 * PassthroughArbitraries#spoofedConnectionsFor}): under a pinning, such a connection reaches the
 * dialed address only when an IP or CIDR entry, or a Domain entry the pinning leaves alone, also
 * covers it (or the mode is {@code All}, which names no entry).
 */
class PinningPropertiesTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final ValidationOptions LENIENT =
      new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT);
  private static final int CONNECTIONS_PER_POLICY =
      Integer.getInteger("meshpassthrough.proof.connections", 13);

  @Property(tries = 300, seed = "20260506")
  void dnsPinning_legacy_envoyDoesWhatThePolicySays(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkAgreement(sample, options(DomainPinning.DNS, Encoding.LEGACY));
  }

  @Property(tries = 300, seed = "20260506")
  void dnsPinning_matcher_envoyDoesWhatThePolicySays(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkAgreement(sample, options(DomainPinning.DNS, Encoding.MATCHER));
  }

  @Property(tries = 300, seed = "20260506")
  void dynamicPinning_legacy_envoyDoesWhatThePolicySays(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkAgreement(sample, options(DomainPinning.DYNAMIC, Encoding.LEGACY));
  }

  @Property(tries = 300, seed = "20260506")
  void dynamicPinning_matcher_envoyDoesWhatThePolicySays(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkAgreement(sample, options(DomainPinning.DYNAMIC, Encoding.MATCHER));
  }

  @Property(tries = 300, seed = "20260507")
  void dnsPinning_spoofedName_reachesTheDialedAddressOnlyThroughAnUnpinnedEntry(
      @ForAll("policiesAndSpoofedConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkSpoofing(sample, DomainPinning.DNS);
  }

  @Property(tries = 300, seed = "20260507")
  void dynamicPinning_spoofedName_reachesTheDialedAddressOnlyThroughAnUnpinnedEntry(
      @ForAll("policiesAndSpoofedConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    checkSpoofing(sample, DomainPinning.DYNAMIC);
  }

  private static void checkAgreement(
      Tuple2<PassthroughConf, List<Connection>> sample, TranslatorOptions options) {
    PolicySimulation simulation = PolicySimulation.translate(sample.get1(), options, PROXY);
    assertThat(EnvoyAcceptance.check(simulation.resources()))
        .as("acceptance of %s", sample.get1())
        .isEmpty();
    for (Connection connection : sample.get2()) {
      Explanation explanation = simulation.explain(connection);
      Statistics.label("upstream")
          .collect(explanation.decision().upstream().map(Upstream::kind).orElse(null));
      // The proof must reach pinned upstreams, not only denials and dialed addresses.
      Statistics.label("upstream")
          .coverage(c -> c.check(Upstream.Kind.DNS_NAME).count(n -> n >= 100));
      if (explanation.decision().isAllowed()) {
        assertThat(explanation.decision().upstream())
            .as("the simulator knows where %s goes:%n%s", connection, explanation.toText())
            .isPresent();
      }
      assertThat(explanation.agrees())
          .as("under policy %s:%n%s", sample.get1(), explanation.toText())
          .isTrue();
    }
  }

  private static void checkSpoofing(
      Tuple2<PassthroughConf, List<Connection>> sample, DomainPinning pinning) {
    PolicySimulation simulation =
        PolicySimulation.translate(
            sample.get1(), TranslatorOptions.defaults().withDomainPinning(pinning), PROXY);
    for (Connection connection : sample.get2()) {
      Explanation explanation = simulation.explain(connection);
      Decision decision = explanation.decision();
      boolean toDialed =
          decision.upstream().filter(u -> u.kind() == Upstream.Kind.DIALED_ADDRESS).isPresent();
      Statistics.label("spoofed connection")
          .collect(!decision.isAllowed() ? "denied" : toDialed ? "to dialed" : "pinned");
      Statistics.label("spoofed connection").coverage(c -> c.check("pinned").count(n -> n >= 100));
      // Mode All names no entry: everything goes where it was dialed, pinning or not.
      if (toDialed && sample.get1().effectiveMode() != PassthroughMode.ALL) {
        assertThat(explanation.intent().coveredBy())
            .as(
                "only an IP or CIDR entry, or one %s leaves alone, lets %s reach the dialed"
                    + " address:%n%s",
                pinning, connection, explanation.toText())
            .anySatisfy(m -> assertThat(leavesDialedAddress(m, pinning)).isTrue());
      }
      assertThat(explanation.agrees())
          .as("under policy %s:%n%s", sample.get1(), explanation.toText())
          .isTrue();
    }
  }

  /** The contract, written out: which entries keep the dialed address under {@code pinning}. */
  private static boolean leavesDialedAddress(Match match, DomainPinning pinning) {
    Destination destination = match.destination();
    if (destination instanceof Destination.Ip || destination instanceof Destination.Cidr) {
      return true;
    }
    return switch (pinning) {
      case OFF -> true;
      case DNS -> !(destination instanceof Destination.Domain) || match.port().isEmpty();
      case DYNAMIC ->
          destination instanceof Destination.WildcardDomain wildcard
              && wildcard
                  .parent()
                  .substring(wildcard.parent().lastIndexOf('.') + 1)
                  .matches("[0-9]+");
    };
  }

  private static TranslatorOptions options(DomainPinning pinning, Encoding encoding) {
    return TranslatorOptions.defaults().withEncoding(encoding).withDomainPinning(pinning);
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndConnections() {
    return PassthroughArbitraries.confs(LENIENT)
        .flatMap(
            conf ->
                Arbitraries.oneOf(
                        PassthroughArbitraries.connectionsFor(conf),
                        PassthroughArbitraries.spoofedConnectionsFor(conf))
                    .list()
                    .ofSize(CONNECTIONS_PER_POLICY)
                    .map(connections -> Tuple.of(conf, connections)));
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndSpoofedConnections() {
    return PassthroughArbitraries.confs(LENIENT)
        .flatMap(
            conf ->
                PassthroughArbitraries.spoofedConnectionsFor(conf)
                    .list()
                    .ofSize(CONNECTIONS_PER_POLICY)
                    .map(connections -> Tuple.of(conf, connections)));
  }
}
