package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code conformance/kuma3/translate}: the kuma profile under {@link KumaLine#V3}
 * gives Kuma's listener and cluster goldens, compared as trees, and exactly Kuma's policy warnings,
 * in order, as {@code translate.match.ignored} warnings.
 */
class Kuma3TranslateCorpusTest {
  private static final String MATCH_IGNORED = "translate.match.ignored";

  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(
          TranslatorOptions.of(TranslationProfile.KUMA).withKumaLine(KumaLine.V3));

  static List<Path> cases() {
    return Kuma3Corpus.cases("translate");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void output_equalsKumasGoldens(Path dir) {
    TranslationResult result =
        ChainInvariants.assertAcceptable(
            TRANSLATOR.translate(conf(dir), Kuma3Corpus.proxy(dir.resolve("proxy.yaml"))));

    JsonNode actual = ResourceTrees.of(result);
    assertSame(
        ResourceTrees.golden(KumaCorpus.tree(dir.resolve("listeners.golden.yaml"))),
        ResourceTrees.only(actual, "Listener"));
    assertSame(
        ResourceTrees.golden(KumaCorpus.tree(dir.resolve("clusters.golden.yaml"))),
        ResourceTrees.only(actual, "Cluster"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void warnings_equalKumasInOrder(Path dir) {
    TranslationResult result =
        TRANSLATOR.translate(conf(dir), Kuma3Corpus.proxy(dir.resolve("proxy.yaml")));

    List<Problem> ignored =
        result.notes().stream().filter(p -> p.ruleId().equals(MATCH_IGNORED)).toList();
    assertThat(ignored).allMatch(p -> p.severity() == Severity.WARNING, "a warning");
    assertThat(ignored)
        .extracting(Problem::message)
        .containsExactlyElementsOf(Kuma3Corpus.warnings(dir));
  }

  @Test
  void pipeline_translatesWithItsKumaLine() throws Exception {
    Path dir =
        Kuma3Corpus.cases("translate").stream()
            .filter(d -> d.getFileName().toString().equals("domain-without-port"))
            .findFirst()
            .orElseThrow();
    PassthroughPipeline pipeline =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults()
                .withKumaLine(KumaLine.V3)
                .withTranslator(TranslatorOptions.of(TranslationProfile.KUMA)));

    PassthroughPipeline.Result result =
        pipeline.run(
            List.of(KumaCorpus.document(dir.resolve("policy.yaml"))),
            Kuma3Corpus.proxy(dir.resolve("proxy.yaml")));

    assertThat(result.status()).isEqualTo(PassthroughPipeline.Status.TRANSLATED);
    assertSame(
        ResourceTrees.golden(KumaCorpus.tree(dir.resolve("clusters.golden.yaml"))),
        ResourceTrees.only(ResourceTrees.of(result.resources().orElseThrow()), "Cluster"));
    assertThat(result.problems())
        .filteredOn(p -> p.ruleId().equals(MATCH_IGNORED))
        .extracting(Problem::message)
        .containsExactlyElementsOf(Kuma3Corpus.warnings(dir));
  }

  @Test
  void options_defaultToKuma2_andCompareTheLine() {
    TranslatorOptions v2 = TranslatorOptions.of(TranslationProfile.KUMA);

    assertThat(v2.kumaLine()).isEqualTo(KumaLine.V2);
    assertThat(v2.withKumaLine(KumaLine.V3)).isNotEqualTo(v2);
    assertThat(v2.withKumaLine(KumaLine.V3).withKumaLine(KumaLine.V2))
        .isEqualTo(v2)
        .hasSameHashCodeAs(v2);
    assertThat(v2.withKumaLine(KumaLine.V3).withMaxOutputBytes(10).kumaLine())
        .isEqualTo(KumaLine.V3);
  }

  /**
   * The conf as Kuma's plugin test hands it over: its test skips validation, so lenient validation
   * (which keeps what Kuma 3.x's admission would refuse, as warnings) gives the conf.
   */
  private static PassthroughConf conf(Path dir) {
    return PolicyValidator.create(new ValidationOptions(KumaLine.V3, ValidationLevel.LENIENT))
        .validate(KumaCorpus.document(dir.resolve("policy.yaml")))
        .orElseThrow()
        .conf();
  }

  private static void assertSame(JsonNode expected, JsonNode actual) {
    Optional<String> difference = ResourceTrees.firstDifference(expected, actual);
    assertThat(difference).as("first difference from the golden").isEmpty();
  }
}
