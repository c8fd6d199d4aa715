package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code conformance/kuma/translate}: the policy goes through the parser and the
 * validator, and the listeners and clusters after it applied equal Kuma's goldens, compared as
 * trees.
 */
class KumaTranslateCorpusTest {
  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));

  /**
   * Cases whose policy Kuma's own validator rejects (Kuma's plugin test skips validation), with the
   * rule that rejects them. They pass lenient validation, which reports that rule as a warning.
   */
  private static final Map<String, String> REJECTED_BY_KUMAS_VALIDATOR =
      Map.of("http-domains-aggregated", "kuma.match.port.wildcard-l7");

  static List<Path> cases() {
    return KumaCorpus.cases("translate");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void output_equalsKumasGoldens(Path dir) throws IOException {
    ProxyContext proxy = ProxyContext.read(dir.resolve("proxy.yaml"));

    TranslationResult result =
        ChainInvariants.assertAcceptable(TRANSLATOR.translate(conf(dir), proxy));

    JsonNode actual = ResourceTrees.of(result);
    assertSame(
        ResourceTrees.golden(KumaCorpus.tree(dir.resolve("listeners.golden.yaml"))),
        ResourceTrees.only(actual, "Listener"));
    assertSame(
        ResourceTrees.golden(KumaCorpus.tree(dir.resolve("clusters.golden.yaml"))),
        ResourceTrees.only(actual, "Cluster"));
  }

  private static PassthroughConf conf(Path dir) {
    Path policy = dir.resolve("policy.yaml");
    ValidationResult validation = PolicyValidator.create().validate(KumaCorpus.document(policy));
    String rejectedBy = REJECTED_BY_KUMAS_VALIDATOR.get(dir.getFileName().toString());
    if (rejectedBy == null) {
      return validation.orElseThrow().conf();
    }
    assertThat(validation.errors()).extracting(Violation::ruleId).containsOnly(rejectedBy);
    ValidationResult lenient =
        PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT))
            .validate(KumaCorpus.document(policy));
    assertThat(lenient.warnings()).extracting(Violation::ruleId).contains(rejectedBy);
    return lenient.orElseThrow().conf();
  }

  private static void assertSame(JsonNode expected, JsonNode actual) {
    Optional<String> difference = ResourceTrees.firstDifference(expected, actual);
    assertThat(difference).as("first difference from the golden").isEmpty();
  }
}
