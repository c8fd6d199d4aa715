package dev.meshpassthrough.envoy.internal.kuma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Kuma3Corpus;
import dev.meshpassthrough.envoy.KumaCorpus;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code conformance/kuma3/order}: the ordering step under {@link KumaLine#V3},
 * called without validation as Kuma's test calls it, drops the conflicting matches and gives the
 * golden's matchers in order. (The cases' warnings are {@code Kuma3Conflicts}' own test, in core.)
 */
class Kuma3OrderCorpusTest {

  /**
   * Kuma's case of a protocol its generator does not know ({@code foo}, built as an HTTP chain when
   * validation is bypassed): {@code Protocol} is a closed enum of the six protocols Kuma's
   * validator accepts, so such an entry cannot reach the translator; the parser refuses it (below).
   */
  private static final String UNSUPPORTED_PROTOCOL = "unsupported-protocol-conflict";

  static List<Path> cases() {
    return Kuma3Corpus.cases("order").stream()
        .filter(dir -> !dir.getFileName().toString().equals(UNSUPPORTED_PROTOCOL))
        .toList();
  }

  @Test
  void anUnknownProtocol_isRefusedBeforeTheTranslator() {
    Path dir = KumaCorpus.category("kuma3", "order").resolve(UNSUPPORTED_PROTOCOL);
    ParseResult parsed = PolicyParser.create().parse(dir.resolve("policy.yaml"));
    PassthroughPipeline.Policies policies =
        PassthroughPipeline.create().validate(parsed.documents());

    assertThat(policies.isValid()).isFalse();
    assertThat(policies.problems())
        .anySatisfy(p -> assertThat(p.path().orElseThrow().toString()).endsWith("protocol"));
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
