package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.validation.PolicyValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A small valid policy that a translator would blow up: 1,000 port-less entries beside 1,000
 * entries on 1,000 ports. Kuma copies every port-less chain onto every port used, which makes a
 * million filter chains (a 100 KB policy, an {@code OutOfMemoryError} with 2 GB before the
 * translators got their bound). Every profile refuses it with a clear error, and the command line
 * says so in a JVM with 256 MB.
 */
class AmplificationTest {
  private static final int EACH = 1_000;

  @TempDir static Path scratch;
  private static Path policy;

  @BeforeAll
  static void writePolicy() throws IOException {
    StringBuilder text =
        new StringBuilder(
            "type: MeshPassthrough\nname: amplified\nspec:\n  default:\n    appendMatch:\n");
    for (int i = 0; i < EACH; i++) {
      text.append("    - {type: Domain, value: host")
          .append(i)
          .append(".example.com, protocol: tls}\n");
    }
    for (int i = 0; i < EACH; i++) {
      text.append("    - {type: IP, value: 10.0.")
          .append(i / 256)
          .append('.')
          .append(i % 256)
          .append(", port: ")
          .append(10_000 + i)
          .append("}\n");
    }
    policy = scratch.resolve("amplified.yaml");
    Files.writeString(policy, text, StandardCharsets.UTF_8);
  }

  static List<PipelineRun.Labelled<PassthroughTranslator>> translators() {
    return Pipeline.everyTranslator();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translators")
  void millionChainConf_isRefusedWithAClearError(
      PipelineRun.Labelled<PassthroughTranslator> labelled) {
    PipelineRun run =
        new Pipeline(
                List.of(
                    Pipeline.parse(PolicyParser.create()),
                    Pipeline.validate(PolicyValidator.create())))
            .run(policy);
    assertThat(run.policies).hasSize(1);
    PassthroughConf conf = run.policies.get(0).conf();
    PassthroughTranslator translator = labelled.value();

    assertThat(
            catchThrowableOfType(
                () -> translator.translate(conf, ProxyContext.defaultTransparentProxy()),
                TranslationException.class))
        .as("a translation error, not a million chains")
        .isNotNull()
        .extracting(TranslationException::getMessage)
        .asString()
        .contains("100000");
  }

  @Test
  void commandLineWith256Megabytes_saysSoAndExitsWith1() {
    for (var translator : Pipeline.everyTranslator()) {
      String[] profileAndEncoding = translator.label().toLowerCase(Locale.ROOT).split("/");
      List<String> args = new ArrayList<>(List.of("translate", "--profile", profileAndEncoding[0]));
      if (profileAndEncoding.length > 1) {
        args.addAll(List.of("--encoding", profileAndEncoding[1]));
      }
      args.add(policy.toString());
      CliOutcome run =
          CliOutcome.childJvm(
              Duration.ofSeconds(120),
              List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
              args.toArray(String[]::new));

      assertThat(run.err())
          .as(translator.label())
          .doesNotContain("OutOfMemoryError")
          .contains("100000");
      assertThat(run.exitCode()).as(translator.label() + ": " + run.err()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      run.assertOneLinePerProblem(false);
    }
  }
}
