package dev.meshpassthrough.testkit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.validation.PolicyValidator;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

class PassthroughArbitrariesTest {

  @Property(tries = 300, seed = "20260502")
  void confs_areValidUnderStrictValidation(@ForAll("confs") PassthroughConf conf) {
    assertThat(PolicyValidator.create().validate(PassthroughArbitraries.document(conf)).isValid())
        .isTrue();
    Statistics.label("entries").collect(conf.matches().size());
  }

  @Property(tries = 100, seed = "20260503")
  void policies_carryAValidConf(@ForAll("policies") MeshPassthroughPolicy policy) {
    assertThat(policy.conf().matches()).hasSizeLessThanOrEqualTo(5);
  }

  @Property(tries = 300, seed = "20260504")
  void connectionsForAConf_oftenHitIt(
      @ForAll("confsAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    PolicyIntent intent = PolicyIntent.of(sample.get1());
    long covered = sample.get2().stream().filter(c -> intent.judge(c).isAllowed()).count();
    Statistics.label("covered").collect(covered > 0);
    Statistics.label("covered").coverage(c -> c.check(true).percentage(p -> p > 20));
  }

  @Property(tries = 200, seed = "20260505")
  void connections_areWellFormed(@ForAll("connections") Connection connection) {
    assertThat(connection.port()).isBetween(1, 65535);
  }

  @Provide
  Arbitrary<PassthroughConf> confs() {
    return PassthroughArbitraries.confs();
  }

  @Provide
  Arbitrary<MeshPassthroughPolicy> policies() {
    return PassthroughArbitraries.policies();
  }

  @Provide
  Arbitrary<Connection> connections() {
    return PassthroughArbitraries.connections();
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> confsAndConnections() {
    return PassthroughArbitraries.confs()
        .filter(c -> !c.matches().isEmpty())
        .flatMap(
            conf ->
                PassthroughArbitraries.connectionsFor(conf)
                    .list()
                    .ofSize(8)
                    .map(list -> Tuple.of(conf, list)));
  }
}
