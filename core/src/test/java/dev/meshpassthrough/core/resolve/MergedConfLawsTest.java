package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The laws of the hand-written merge (docs/selection-and-merge.md#merge). */
class MergedConfLawsTest {
  private static final List<Match> POOL =
      List.of(
          Fixtures.match("Domain", "github.com", 443, Protocol.TLS),
          Fixtures.match("IP", "10.0.0.1", 5432, Protocol.TCP),
          Fixtures.match("CIDR", "192.168.0.0/16", null, Protocol.TCP),
          Fixtures.match("Domain", "api.example.com", 80, Protocol.HTTP),
          Fixtures.match("IP", "2001:db8::1", 3306, Protocol.MYSQL));

  @Provide
  Arbitrary<MergedConf> confs() {
    Arbitrary<Optional<PassthroughMode>> modes =
        Arbitraries.of(PassthroughMode.class).optional(0.6);
    Arbitrary<Optional<List<Match>>> lists = Arbitraries.of(POOL).list().ofMaxSize(3).optional(0.7);
    Arbitrary<String> names = Arbitraries.of("a", "b", "c", "d");
    return Combinators.combine(names, modes, lists)
        .as((name, mode, list) -> MergedConf.of(name, new PassthroughConf(mode, list)));
  }

  @Property(tries = 500, seed = "4001")
  void merge_isAssociative(
      @ForAll("confs") MergedConf a, @ForAll("confs") MergedConf b, @ForAll("confs") MergedConf c) {
    assertThat(MergedConf.merge(MergedConf.merge(a, b), c))
        .isEqualTo(MergedConf.merge(a, MergedConf.merge(b, c)));
  }

  @Property(tries = 300, seed = "4002")
  void absent_isTheIdentity(@ForAll("confs") MergedConf a) {
    assertThat(MergedConf.merge(MergedConf.empty(), a)).isEqualTo(a);
    assertThat(MergedConf.merge(a, MergedConf.empty())).isEqualTo(a);
  }

  @Property(tries = 300, seed = "4003")
  void theStrongestScalarWins(
      @ForAll("confs") MergedConf weaker, @ForAll("confs") MergedConf stronger) {
    MergedConf merged = MergedConf.merge(weaker, stronger);

    assertThat(merged.passthroughMode())
        .isEqualTo(
            stronger.passthroughMode().isPresent()
                ? stronger.passthroughMode()
                : weaker.passthroughMode());
  }

  @Property(tries = 300, seed = "4004")
  void appendMatch_concatenatesWeakestFirst(
      @ForAll("confs") MergedConf weaker, @ForAll("confs") MergedConf stronger) {
    MergedConf merged = MergedConf.merge(weaker, stronger);

    List<AttributedMatch> expected = new ArrayList<>(weaker.entries());
    expected.addAll(stronger.entries());
    assertThat(merged.entries()).isEqualTo(expected);
    assertThat(merged.appendMatch().isPresent())
        .isEqualTo(weaker.appendMatch().isPresent() || stronger.appendMatch().isPresent());
  }

  @Property(tries = 300, seed = "4005")
  void mergeAll_isTheLeftFoldOfMerge(
      @ForAll("confs") MergedConf a, @ForAll("confs") MergedConf b, @ForAll("confs") MergedConf c) {
    assertThat(MergedConf.mergeAll(List.of(a, b, c)))
        .isEqualTo(
            MergedConf.merge(MergedConf.merge(MergedConf.merge(MergedConf.empty(), a), b), c));
    assertThat(MergedConf.mergeAll(List.of())).isEqualTo(MergedConf.empty());
  }

  @Test
  void anEmptyStrongerList_clearsNothing_butIsPresent() {
    MergedConf weaker = MergedConf.of("base", Fixtures.matched(POOL.get(0)));
    MergedConf stronger =
        MergedConf.of("override", new PassthroughConf(Optional.empty(), Optional.of(List.of())));

    MergedConf merged = MergedConf.merge(weaker, stronger);

    assertThat(merged.conf()).isEqualTo(Fixtures.matched(POOL.get(0)));
    assertThat(MergedConf.merge(MergedConf.empty(), stronger).appendMatch()).contains(List.of());
  }

  @Test
  void entries_rememberTheirPolicyAndIndex() {
    MergedConf merged =
        MergedConf.mergeAll(
            List.of(
                MergedConf.of("a", Fixtures.only(POOL.get(0), POOL.get(1))),
                MergedConf.of("b", Fixtures.only(POOL.get(2)))));

    assertThat(merged.entries())
        .containsExactly(
            new AttributedMatch(POOL.get(0), "a", 0),
            new AttributedMatch(POOL.get(1), "a", 1),
            new AttributedMatch(POOL.get(2), "b", 0));
    assertThat(merged.entries().get(2)).hasToString("b appendMatch[0] (CIDR 192.168.0.0/16:*/tcp)");
  }
}
