package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the whole pipeline (parse, validate, resolve, translate with every profile and encoding,
 * acceptance check): whatever the input, only the documented results come out, the same ones every
 * time.
 *
 * <p>Under {@code mvn verify} each method runs once per file of its inputs directory ({@code
 * src/test/resources/dev/meshpassthrough/cli/hostile/PipelineFuzzTestInputs/<method>/}: seeds,
 * corpus entries worth keeping, and every finding). To fuzz, one method at a time, for the
 * annotation's {@code maxDuration}:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl cli test -Dtest='PipelineFuzzTest#generatedPolicies_endInDocumentedResults' \
 *     -Djazzer.hooks=true -DargLine=-Xmx1g
 * </pre>
 *
 * <p>{@code -Djazzer.hooks=true} installs Jazzer's agent, which instruments the library for
 * coverage ({@code junit-platform.properties} turns it off for the regression run); {@code -Xmx1g}
 * keeps the JVM under libFuzzer's 2 GB memory limit, which a JVM with a default heap crosses and
 * reports as a false finding. {@code -Djazzer.keep_going=100} goes on after a finding. A finding is
 * written into the inputs directory as {@code crash-<sha1>}: keep it there, and add the policy to
 * {@code hostile/cases.yaml} when a user could write it. The generated corpus goes to {@code
 * cli/.cifuzz-corpus/}.
 */
class PipelineFuzzTest {
  private static final Pipeline PIPELINE = Pipeline.standard();
  private static final PolicyParser PARSER = PolicyParser.create();
  private static final List<PipelineRun.Labelled<PassthroughTranslator>> TRANSLATORS =
      Pipeline.everyTranslator();

  /** Any bytes at all: as a file's bytes and as an already decoded string. */
  @FuzzTest(maxDuration = "5m")
  void anyBytes_endInDocumentedResults(byte[] input) {
    PipelineRun run = PIPELINE.run(input, "fuzz.yaml");

    ParseResult fromText = PARSER.parse(new String(input, StandardCharsets.UTF_8), "fuzz.yaml");
    assertThat(fromText.documents().size() + fromText.problems().size()).isPositive();
    assertThat(PIPELINE.run(input, "fuzz.yaml").transcript()).isEqualTo(run.transcript());
  }

  /**
   * Policies built from the values that have broken MeshPassthrough implementations before, so that
   * most inputs get past the parser. Besides the pipeline's own contract: the exact profile's
   * output passes the acceptance check, and no translator cares about the order of {@code
   * appendMatch}, as {@link PassthroughTranslator} promises.
   */
  @FuzzTest(maxDuration = "5m")
  void generatedPolicies_endInDocumentedResults(FuzzedDataProvider data) {
    byte[] policy = FuzzedPolicies.write(data);
    String text = new String(policy, StandardCharsets.UTF_8);

    PipelineRun run = PIPELINE.run(policy, "generated.yaml");

    assertThat(PIPELINE.run(policy, "generated.yaml").transcript())
        .as("a second run of\n%s", text)
        .isEqualTo(run.transcript());
    assertThat(run.lines())
        .as("the exact profile gives Envoy nothing to reject or mishandle, for\n%s", text)
        .noneMatch(line -> line.startsWith("accept translate EXACT"));
    for (var conf : run.confs) {
      assertTranslationIgnoresEntryOrder(conf.value(), text);
    }
  }

  private static void assertTranslationIgnoresEntryOrder(PassthroughConf conf, String policy) {
    List<Match> reversed = new ArrayList<>(conf.matches());
    Collections.reverse(reversed);
    PassthroughConf backwards =
        new PassthroughConf(conf.passthroughMode(), conf.appendMatch().map(m -> reversed));
    for (var translator : TRANSLATORS) {
      Optional<TranslationResult> forwards = translate(translator.value(), conf);
      Optional<TranslationResult> other = translate(translator.value(), backwards);
      String what = translator.label() + ", entries reversed, of\n" + policy;
      assertThat(other.isPresent())
          .as("both orders translate, or neither: %s", what)
          .isEqualTo(forwards.isPresent());
      if (forwards.isPresent()) {
        assertThat(other.get().toJson())
            .as("resources: %s", what)
            .isEqualTo(forwards.get().toJson());
        assertThat(other.get().notes()).as("notes: %s", what).isEqualTo(forwards.get().notes());
      }
    }
  }

  private static Optional<TranslationResult> translate(
      PassthroughTranslator translator, PassthroughConf conf) {
    try {
      return Optional.of(translator.translate(conf, ProxyContext.defaultTransparentProxy()));
    } catch (TranslationException e) {
      return Optional.empty();
    }
  }
}
