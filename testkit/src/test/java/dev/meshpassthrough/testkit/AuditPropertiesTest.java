package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.Enforcement;
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
 * The promise of audit mode ({@link Enforcement#AUDIT}), checked by the simulator with the
 * generated policies and connections of {@link ExactProfilePropertiesTest}, in both encodings and
 * under every {@link DomainPinning}: every connection is forwarded; it is flagged (an audit log
 * writes a would-deny line on its path) if and only if the policy's intent denies it, and then it
 * goes to the address it dialed; an allowed connection is handled exactly as under enforcement
 * (same listener, chain, virtual host, cluster and upstream). Envoy would accept every
 * configuration.
 */
class AuditPropertiesTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final ValidationOptions LENIENT =
      new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT);
  private static final int CONNECTIONS_PER_POLICY =
      Integer.getInteger("meshpassthrough.proof.connections", 13);

  @Property(tries = 300, seed = "20261205")
  void legacy_flagsExactlyWhatTheIntentDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    check(sample, Encoding.LEGACY, DomainPinning.OFF);
  }

  @Property(tries = 300, seed = "20261205")
  void matcher_flagsExactlyWhatTheIntentDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    check(sample, Encoding.MATCHER, DomainPinning.OFF);
  }

  @Property(tries = 150, seed = "20261206")
  void legacy_dnsPinning_flagsExactlyWhatTheIntentDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    check(sample, Encoding.LEGACY, DomainPinning.DNS);
  }

  @Property(tries = 150, seed = "20261208")
  void matcher_dynamicPinning_flagsExactlyWhatTheIntentDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    check(sample, Encoding.MATCHER, DomainPinning.DYNAMIC);
  }

  @Property(tries = 150, seed = "20261207")
  void legacy_dynamicPinning_flagsExactlyWhatTheIntentDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    check(sample, Encoding.LEGACY, DomainPinning.DYNAMIC);
  }

  private static void check(
      Tuple2<PassthroughConf, List<Connection>> sample, Encoding encoding, DomainPinning pinning) {
    TranslatorOptions enforce =
        TranslatorOptions.defaults().withEncoding(encoding).withDomainPinning(pinning);
    PolicySimulation enforced = PolicySimulation.translate(sample.get1(), enforce, PROXY);
    PolicySimulation audited =
        PolicySimulation.translate(
            sample.get1(), enforce.withEnforcement(Enforcement.AUDIT), PROXY);
    assertThat(EnvoyAcceptance.check(audited.resources()))
        .as("acceptance of %s under audit", sample.get1())
        .isEmpty();
    for (Connection connection : sample.get2()) {
      Explanation explanation = audited.explain(connection);
      Decision decision = explanation.decision();
      String context = String.format("under policy %s:%n%s", sample.get1(), explanation.toText());
      if (refusedByTheHttpCodec(connection) && !decision.isAllowed()) {
        // HTTP/1.1 without Host, h2c without :authority: the HTTP connection manager that reads
        // Host refuses it before any route (README, "Audit mode"); the policy denies it too.
        Statistics.label("audit").collect("refused by the HTTP codec");
        assertThat(explanation.intent().verdict()).as("denied " + context).isEqualTo(Verdict.DENY);
        assertThat(enforced.simulate(connection).isAllowed()).as("denied " + context).isFalse();
        assertThat(decision.outcome())
            .as("refused by the codec " + context)
            .isIn(Decision.Outcome.HTTP_RESPONSE, Decision.Outcome.PROTOCOL_ERROR);
        continue;
      }
      Statistics.label("audit").collect(decision.isFlagged() ? "flagged" : "allowed");
      Statistics.label("audit").coverage(c -> c.check("flagged").count(n -> n >= 100));
      assertThat(decision.isAllowed()).as("forwarded " + context).isTrue();
      if (explanation.intent().verdict() == Verdict.DENY) {
        assertThat(decision.isFlagged()).as("flagged " + context).isTrue();
        assertThat(decision.upstream())
            .as("to the dialed address " + context)
            .contains(Upstream.dialed(connection.destinationText(), connection.port()));
        assertThat(decision.chain().orElse("") + decision.virtualHost().orElse(""))
            .as("through audit configuration " + context)
            .contains("meshpassthrough_audit");
      } else {
        Decision asEnforced = enforced.simulate(connection);
        assertThat(decision.isFlagged()).as("not flagged " + context).isFalse();
        assertThat(decision)
            .as("handled as under enforcement " + context)
            .usingRecursiveComparison()
            .ignoringFields("trace")
            .isEqualTo(asEnforced);
      }
    }
  }

  /** A request without the name an HTTP connection manager needs to route it. */
  private static boolean refusedByTheHttpCodec(Connection connection) {
    return connection.payload() instanceof Connection.HttpRequest request
        && request.host().isEmpty()
        && request.version() != Connection.HttpVersion.HTTP_1_0;
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
}
