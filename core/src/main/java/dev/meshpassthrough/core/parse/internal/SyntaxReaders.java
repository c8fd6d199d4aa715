package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.meshpassthrough.core.parse.ParseLimits;
import java.io.IOException;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The two Jackson token readers, YAML and JSON, configured once from the {@link ParseLimits}.
 * Jackson factories are thread-safe once built, so one instance serves every parse.
 */
final class SyntaxReaders {
  /** The syntax a reader reads. */
  enum Syntax {
    YAML,
    JSON
  }

  private final YAMLFactory yaml;
  private final JsonFactory json;

  SyntaxReaders(ParseLimits limits) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            // One more than our own limit, so that our counter reports first and names the limit.
            .maxNestingDepth(saturatedIncrement(limits.maxNestingDepth()))
            .maxStringLength(
                Math.max(limits.maxInputBytes(), StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
            .maxDocumentLength((long) limits.maxInputBytes() + 1)
            .build();
    LoaderOptions loader = new LoaderOptions();
    loader.setNestingDepthLimit(limits.maxNestingDepth());
    loader.setMaxAliasesForCollections(limits.maxAliases());
    loader.setCodePointLimit(limits.maxInputBytes());
    // Duplicate keys stay allowed here: the tree reader reports each one with its field path and
    // goes on, where Jackson would stop the whole input at the first.
    loader.setAllowDuplicateKeys(true);
    loader.setProcessComments(false);
    this.yaml =
        new EventYamlFactory(
            YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(constraints)
                // A plain empty value (`key:`) is YAML null; a quoted '' stays an empty string.
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                // Problems must not echo the input back.
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION));
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  /** A token reader over {@code text}; the caller closes it. */
  JsonParser open(Syntax syntax, String text) throws IOException {
    return syntax == Syntax.YAML
        ? yaml.createParser(new StringReader(text))
        : json.createParser(text);
  }

  private static int saturatedIncrement(int value) {
    return value == Integer.MAX_VALUE ? value : value + 1;
  }
}
