package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;

/**
 * What the benchmarks share: the generated policy, parsed and strictly validated, and output
 * measures.
 */
final class Fixtures {
  static final PolicyParser PARSER = PolicyParser.create();
  static final PolicyValidator VALIDATOR = PolicyValidator.create();

  private Fixtures() {}

  /** The policy of {@code size} entries through the public road: YAML, parse, strict validation. */
  static MeshPassthroughPolicy policy(int size) {
    return validate(PolicyMix.yaml(size));
  }

  /** The typed conf of {@link #policy(int)}. */
  static PassthroughConf conf(int size) {
    return policy(size).conf();
  }

  /**
   * Parses and validates one document.
   *
   * @throws IllegalStateException when the text does not parse cleanly or is not valid
   */
  static MeshPassthroughPolicy validate(String yaml) {
    ParseResult parsed = PARSER.parse(yaml, "generated.yaml");
    if (!parsed.isClean() || parsed.documents().size() != 1) {
      throw new IllegalStateException("generated policy does not parse: " + parsed.problems());
    }
    PolicyDocument document = parsed.documents().get(0);
    ValidationResult result = VALIDATOR.validate(document);
    if (!result.isValid() || !result.warnings().isEmpty()) {
      throw new IllegalStateException("generated policy is not valid: " + result.violations());
    }
    return result.orElseThrow();
  }

  /** Filter chains over every listener of a result. */
  static int chains(TranslationResult result) {
    return result.listeners().stream().mapToInt(Listener::getFilterChainsCount).sum();
  }

  /** Serialized bytes of every listener and cluster of a result. */
  static long bytes(TranslationResult result) {
    long total = 0;
    for (Listener listener : result.listeners()) {
      total += listener.getSerializedSize();
    }
    for (Cluster cluster : result.clusters()) {
      total += cluster.getSerializedSize();
    }
    return total;
  }
}
