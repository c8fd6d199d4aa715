package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.Verdict;
import dev.meshpassthrough.validation.PolicyValidator;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay engine decides each distinct connection class once, however many lines it has. */
class ReplayEngineTest {

  static PolicySimulation simulation() {
    ParseResult parsed = PolicyParser.create().parse(ReplayCommandTest.POLICY, "policy.yaml");
    PassthroughConf conf =
        PolicyValidator.create().validate(parsed.documents().get(0)).orElseThrow().conf();
    return PolicySimulation.translate(
        conf, TranslationProfile.EXACT, ProxyContext.defaultTransparentProxy());
  }

  @Test
  void eachDistinctClass_isDecidedOnce_andEveryLineCounted() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      text.append(
          switch (i % 4) {
            case 0 -> "tls,192.0.2.1,443,api.example.com\n";
            case 1 -> "tcp,10.0.0.5,5432,\n";
            case 2 -> "tcp,10.0.0.5,5432,\n";
            default -> "tls,192.0.2.1,443,evil.example.com\n";
          });
    }
    ReplayEngine engine = ReplayEngine.of(simulation());

    feed(text.toString(), engine);

    assertThat(engine.decisions()).isEqualTo(3);
    assertThat(engine.connections()).isEqualTo(1_000);
    assertThat(engine.results())
        .extracting(r -> r.connection().destination() + " " + r.count())
        .containsExactlyInAnyOrder(
            "api.example.com:443 250", "10.0.0.5:5432 500", "evil.example.com:443 250");
  }

  @Test
  void theSameConnectionWrittenDifferently_isOneClass() throws Exception {
    ReplayEngine engine = ReplayEngine.of(simulation());

    feed("tcp,2001:db8::5,5432,\ntcp, 2001:DB8:0::5 ,05432,\n", engine);
    feed("{\"downstream_local_address\":\"[2001:db8::5]:5432\",\"protocol\":null}\n", engine);

    assertThat(engine.connections()).isEqualTo(3);
    assertThat(engine.decisions()).isEqualTo(1);
  }

  @Test
  void theAnswer_isTheSimulationsExplanation() throws Exception {
    PolicySimulation simulation = simulation();
    ReplayEngine engine = ReplayEngine.of(simulation);
    ConnectionClass evil =
        ConnectionClass.of(
            dev.meshpassthrough.core.model.Protocol.TLS,
            com.google.common.net.InetAddresses.forString("192.0.2.1"),
            443,
            java.util.Optional.of("evil.example.com"));

    engine.accept(evil);
    engine.accept(evil);

    assertThat(engine.decisions()).isEqualTo(1);
    assertThat(engine.results()).hasSize(1);
    ReplayEngine.ClassResult result = engine.results().get(0);
    assertThat(result.count()).isEqualTo(2);
    assertThat(result.decision())
        .isEqualTo(ReplayEngine.ClassDecision.of(simulation.explain(evil.connection())));
    assertThat(result.decision().envoy()).isEqualTo(Verdict.DENY);
  }

  private static void feed(String text, ReplayEngine engine) throws Exception {
    List<String> malformed = new ArrayList<>();
    ConnectionLines.of(new StringReader(text))
        .read(
            new ConnectionLines.Sink() {
              @Override
              public void connection(ConnectionClass connection) {
                engine.accept(connection);
              }

              @Override
              public void malformed(long line, String reason) {
                malformed.add(line + ": " + reason);
              }
            },
            ConnectionLines.OnMalformed.CONTINUE);
    assertThat(malformed).isEmpty();
  }
}
