package dev.meshpassthrough.testkit.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kuma's corpus policies through both profiles (the exact one in both encodings), then through the
 * acceptance check.
 */
class CorpusAcceptanceTest {
  private static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma/translate");
  private static final PolicyValidator LENIENT =
      PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs.sorted().toList().stream();
    }
  }

  private static TranslationResult translate(Path dir, TranslationProfile profile)
      throws IOException {
    return translate(dir, TranslatorOptions.of(profile));
  }

  private static TranslationResult translate(Path dir, TranslatorOptions options)
      throws IOException {
    PassthroughConf conf =
        LENIENT
            .validate(PolicyParser.create().parse(dir.resolve("policy.yaml")).documents().get(0))
            .orElseThrow()
            .conf();
    return PassthroughTranslator.create(options)
        .translate(conf, ProxyContext.read(dir.resolve("proxy.yaml")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactProfile_hasNoAcceptanceProblem(Path dir) throws IOException {
    assertThat(EnvoyAcceptance.check(translate(dir, TranslationProfile.EXACT))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactProfileInTheMatcherEncoding_hasNoAcceptanceProblem(Path dir) throws IOException {
    assertThat(
            EnvoyAcceptance.check(
                translate(dir, TranslatorOptions.defaults().withEncoding(Encoding.MATCHER))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaProfile_passesEnvoysRules_andShowsOnlyKumasKnownTraps(Path dir) throws IOException {
    List<AcceptanceProblem> problems =
        EnvoyAcceptance.check(translate(dir, TranslationProfile.KUMA));
    // Kuma leaves a listener it did not rebuild pointing at the default cluster it removed.
    assertThat(problems).allSatisfy(p -> assertThat(p.rule()).isEqualTo("trap.missing-cluster"));
  }
}
