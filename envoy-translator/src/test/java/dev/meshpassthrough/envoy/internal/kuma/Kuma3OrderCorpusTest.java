package dev.meshpassthrough.envoy.internal.kuma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Kuma3Corpus;
import dev.meshpassthrough.envoy.KumaCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code conformance/kuma3/order}: the ordering step under {@link KumaLine#V3},
 * called without validation as Kuma's test calls it, drops the conflicting matches and gives the
 * golden's matchers in order. (The cases' warnings are {@code Kuma3Conflicts}' own test, in core.)
 */
class Kuma3OrderCorpusTest {

  static List<Path> cases() {
    return Kuma3Corpus.cases("order");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void orderedMatchers_equalKumasGolden(Path dir) {
    List<Match> matches = Kuma3Corpus.unvalidatedMatches(dir.resolve("policy.yaml"));

    List<FilterChainMatcher> ordered = MatcherOrdering.order(matches, KumaLine.V3);

    List<Map<String, Object>> expected =
        KumaOrderCorpusTest.goldenMatchers(KumaCorpus.tree(dir.resolve("ordered.golden.yaml")));
    assertThat(ordered.stream().map(KumaOrderCorpusTest::fields).toList())
        .containsExactlyElementsOf(expected);
  }
}
