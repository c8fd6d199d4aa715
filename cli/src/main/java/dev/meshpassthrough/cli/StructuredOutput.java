package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** Writes plain trees (maps, lists, scalars) as YAML or JSON, in insertion order. */
final class StructuredOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  private StructuredOutput() {}

  /** The tree as text in {@code format} ({@code yaml} or {@code json}), ending in a newline. */
  static String write(Object tree, OutputFormat format) {
    try {
      String text = (format == OutputFormat.json ? JSON : YAML).writeValueAsString(tree);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a plain tree always serialises", e);
    }
  }
}
