package dev.meshpassthrough.cli.hostile;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.TranslationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What one input carried through a {@link Pipeline}: each step reads the lists earlier steps filled
 * and fills its own, and notes what it found in the transcript. One run per input and thread.
 */
final class PipelineRun {
  final List<PolicyDocument> documents = new ArrayList<>();
  final List<MeshPassthroughPolicy> policies = new ArrayList<>();

  /** The effective conf of each proxy, in the order the translate step takes them. */
  final List<Labelled<PassthroughConf>> confs = new ArrayList<>();

  final List<Labelled<TranslationResult>> translations = new ArrayList<>();

  /**
   * A value and the words that name it in the transcript.
   *
   * @param label for example {@code policy #0} or {@code translate EXACT resolved backend-1}
   * @param value the value
   */
  record Labelled<T>(String label, T value) {
    @Override
    public String toString() {
      return label;
    }
  }

  private final Function<PolicyParser, ParseResult> input;
  private final List<String> transcript = new ArrayList<>();

  PipelineRun(Function<PolicyParser, ParseResult> input) {
    this.input = input;
  }

  /** The input, read by {@code parser}. */
  ParseResult read(PolicyParser parser) {
    return input.apply(parser);
  }

  void note(String line) {
    transcript.add(line);
  }

  /** What every step noted, in order. */
  List<String> lines() {
    return List.copyOf(transcript);
  }

  /** The lines joined by newlines: the text the determinism tests compare byte for byte. */
  String transcript() {
    return String.join("\n", transcript);
  }
}
