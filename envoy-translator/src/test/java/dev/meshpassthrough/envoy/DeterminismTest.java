package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translation is a pure function: equal inputs, and shuffled {@code appendMatch}, give
 * byte-identical JSON.
 */
class DeterminismTest {
  /** Recorded seeds of the shuffles. */
  private static final long[] SEEDS = {1L, 7L, 42L, 20260101L, 0x5eedL};

  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));

  /**
   * Every translate case with its proxy, and the translatable order case with the default proxy.
   */
  static Stream<Path> policies() {
    return Stream.concat(
        KumaCorpus.cases("translate").stream(),
        Stream.of(KumaCorpus.category("order").resolve("ordered-diff-protocols")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void sameInputTwice_givesByteIdenticalJson(Path dir) throws IOException {
    PassthroughConf conf = KumaCorpus.unvalidatedConf(dir.resolve("policy.yaml"));

    String first = TRANSLATOR.translate(conf, proxy(dir)).toJson();
    String second =
        PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA))
            .translate(conf, proxy(dir))
            .toJson();

    assertThat(second).isEqualTo(first);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void shuffledAppendMatch_givesByteIdenticalJson(Path dir) throws IOException {
    PassthroughConf conf = KumaCorpus.unvalidatedConf(dir.resolve("policy.yaml"));
    TranslationResult reference =
        ChainInvariants.assertAcceptable(TRANSLATOR.translate(conf, proxy(dir)));

    for (long seed : SEEDS) {
      List<Match> shuffled = new ArrayList<>(conf.matches());
      Collections.shuffle(shuffled, new Random(seed));
      PassthroughConf reordered =
          new PassthroughConf(conf.passthroughMode(), conf.appendMatch().map(m -> shuffled));

      TranslationResult result =
          ChainInvariants.assertAcceptable(TRANSLATOR.translate(reordered, proxy(dir)));

      assertThat(result.toJson()).as("seed %d", seed).isEqualTo(reference.toJson());
      assertThat(result.notes()).as("seed %d", seed).isEqualTo(reference.notes());
    }
  }

  private static ProxyContext proxy(Path dir) throws IOException {
    Path file = dir.resolve("proxy.yaml");
    return Files.exists(file) ? ProxyContext.read(file) : ProxyContext.defaultTransparentProxy();
  }
}
