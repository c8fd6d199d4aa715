package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.TargetRefKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link RankKeys#PRECEDENCE} is a total order, for either Kuma line. */
class RankKeysOrderTest {

  @Provide
  Arbitrary<List<RankKeys>> keys() {
    return ResolveArbitraries.policies(6)
        .flatMap(
            policies ->
                ResolveArbitraries.lines()
                    .map(line -> policies.stream().map(p -> RankKeys.of(p, line)).toList()));
  }

  @Property(tries = 400, seed = "5001")
  void precedence_isAntisymmetricTransitiveAndTotal(@ForAll("keys") List<RankKeys> keys) {
    for (RankKeys a : keys) {
      for (RankKeys b : keys) {
        int ab = Integer.signum(RankKeys.PRECEDENCE.compare(a, b));
        assertThat(ab).isEqualTo(-Integer.signum(RankKeys.PRECEDENCE.compare(b, a)));
        assertThat(ab == 0)
            .as("only a policy ties with itself")
            .isEqualTo(a.coreName().equals(b.coreName()));
        for (RankKeys c : keys) {
          if (ab <= 0 && RankKeys.PRECEDENCE.compare(b, c) <= 0) {
            assertThat(RankKeys.PRECEDENCE.compare(a, c)).isLessThanOrEqualTo(0);
          }
        }
      }
    }
  }

  @Test
  void v2_byName_outranksSelectAllAndByLabels_whateverTheNames() {
    MeshPassthroughPolicy byName =
        Fixtures.policy(
            "z-by-name", Fixtures.byName("web-1", null), Fixtures.mode(PassthroughMode.NONE));
    MeshPassthroughPolicy selectAll =
        Fixtures.policy("a-all", Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL));
    MeshPassthroughPolicy byLabels =
        Fixtures.policy(
            "b-labels",
            Fixtures.dataplane(Map.of("app", "web")),
            Fixtures.mode(PassthroughMode.ALL));
    List<RankKeys> sorted =
        new ArrayList<>(
            List.of(
                RankKeys.of(byName, KumaLine.V2),
                RankKeys.of(selectAll, KumaLine.V2),
                RankKeys.of(byLabels, KumaLine.V2)));

    sorted.sort(RankKeys.PRECEDENCE);

    assertThat(sorted)
        .extracting(RankKeys::coreName)
        .containsExactly("b-labels", "a-all", "z-by-name");
    assertThat(sorted.get(2).selector()).isEqualTo(RankKeys.Selector.BY_NAME);
    assertThat(sorted.get(2).specificityRank()).isEqualTo(1);
  }

  @Test
  void fullTie_isBrokenByTheCoreName_smallerIsStronger() {
    Map<String, String> labels = Fixtures.zoneLabels("same");
    RankKeys a =
        RankKeys.of(
            Fixtures.policy("a", labels, Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL)),
            KumaLine.V3);
    RankKeys b =
        RankKeys.of(
            Fixtures.policy("b", labels, Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL)),
            KumaLine.V3);

    assertThat(RankKeys.PRECEDENCE.compare(b, a)).isNegative();
  }

  @Test
  void displayNames_compareAsUtf8Bytes_notAsUtf16Units() {
    // U+FF5E (one UTF-16 unit) sorts after U+1F600 (a surrogate pair) in UTF-16 but before it in
    // UTF-8.
    RankKeys fullwidth = keys("\uFF5E");
    RankKeys emoji = keys("\uD83D\uDE00");

    assertThat(RankKeys.PRECEDENCE.compare(emoji, fullwidth))
        .as("the smaller name is the stronger")
        .isNegative();
  }

  @Test
  void v3_ranksMeshSubsetAsAnUnknownKind() {
    MeshPassthroughPolicy subset =
        Fixtures.policy("s", Fixtures.meshSubset(Map.of()), Fixtures.mode(PassthroughMode.ALL));

    assertThat(RankKeys.of(subset, KumaLine.V2).kindRank()).isEqualTo(3);
    assertThat(RankKeys.of(subset, KumaLine.V3).kindRank()).isZero();
    assertThat(RankKeys.of(subset, KumaLine.V3).kind()).isEqualTo(TargetRefKind.MESH_SUBSET);
  }

  private static RankKeys keys(String displayName) {
    return RankKeys.of(
        Fixtures.policy(displayName, Fixtures.selectAll(), Fixtures.mode(PassthroughMode.ALL)),
        KumaLine.V3);
  }
}
