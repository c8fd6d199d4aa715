package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Orders that carry no meaning change no output: the order of {@code appendMatch} entries (for the
 * translator; Kuma's same-port validation rule does depend on it, on purpose), the order of the
 * keys of an entry, and the order a directory lists its files in. Shuffles use recorded seeds.
 */
class InputOrderDeterminismTest {
  private static final int SHUFFLES = 25;

  @TempDir Path scratch;

  static List<PipelineRun.Labelled<PassthroughTranslator>> translators() {
    return Pipeline.everyTranslator();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translators")
  void appendMatchOrder_changesNeitherResourcesNorNotes(
      PipelineRun.Labelled<PassthroughTranslator> labelled) {
    PassthroughTranslator translator = labelled.value();
    PassthroughConf conf = everyKindConf();
    TranslationResult written = translator.translate(conf, ProxyContext.defaultTransparentProxy());

    for (long seed = 1; seed <= SHUFFLES; seed++) {
      List<Match> shuffled = new ArrayList<>(conf.matches());
      Collections.shuffle(shuffled, new Random(seed));
      TranslationResult result =
          translator.translate(
              new PassthroughConf(conf.passthroughMode(), Optional.of(shuffled)),
              ProxyContext.defaultTransparentProxy());

      assertThat(result.toJson()).as("resources, seed %d", seed).isEqualTo(written.toJson());
      assertThat(result.notes()).as("notes, seed %d", seed).isEqualTo(written.notes());
    }
  }

  @Test
  void keyOrderInsideEntries_changesNoTranslation() throws IOException {
    List<String> entries =
        everyKindConf().matches().stream().map(InputOrderDeterminismTest::reversedFlowMap).toList();
    Path reversed = scratch.resolve("reversed.yaml");
    Files.writeString(
        reversed,
        "spec:\n  default:\n    passthroughMode: Matched\n    appendMatch:\n"
            + entries.stream().map(e -> "    - " + e + "\n").collect(Collectors.joining())
            + "  targetRef: {kind: Mesh}\nmesh: default\nname: every-kind\ntype: MeshPassthrough\n",
        StandardCharsets.UTF_8);

    String original = translations(Pipeline.standard().run(TestInputs.everyKind()));
    String fromReversed = translations(Pipeline.standard().run(reversed));

    assertThat(fromReversed).isEqualTo(original);
  }

  @Test
  void directoryListingOrder_changesNoOutput() throws IOException {
    List<Path> policies = TestInputs.validPolicies();
    Path directory = scratch.resolve("policies");

    CliOutcome forwards = validateDirectoryWrittenInOrder(directory, policies);
    List<Path> backwards = new ArrayList<>(policies);
    Collections.reverse(backwards);
    CliOutcome reversed = validateDirectoryWrittenInOrder(directory, backwards);

    assertThat(reversed).isEqualTo(forwards);
    assertThat(forwards.out()).contains("4 policies: 4 valid");
  }

  private static CliOutcome validateDirectoryWrittenInOrder(Path directory, List<Path> policies)
      throws IOException {
    if (Files.exists(directory)) {
      try (var old = Files.list(directory)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(directory);
    }
    Files.createDirectory(directory);
    for (Path policy : policies) {
      Files.copy(policy, directory.resolve(policy.getFileName()));
    }
    return CliOutcome.inProcess("validate", directory.toString());
  }

  private static PassthroughConf everyKindConf() {
    PipelineRun run = Pipeline.standard().run(TestInputs.everyKind());
    assertThat(run.policies).hasSize(1);
    return run.policies.get(0).conf();
  }

  /** The entry as a flow map with its keys in reverse order: protocol, port, value, type. */
  private static String reversedFlowMap(Match match) {
    return "{protocol: "
        + match.protocol().wireName()
        + match.port().map(port -> ", port: " + port).orElse("")
        + ", value: \""
        + match.destination().value()
        + "\", type: "
        + match.destination().matchType().wireName()
        + "}";
  }

  private static String translations(PipelineRun run) {
    return run.lines().stream()
        .filter(line -> line.startsWith("translate "))
        .collect(Collectors.joining("\n"));
  }
}
