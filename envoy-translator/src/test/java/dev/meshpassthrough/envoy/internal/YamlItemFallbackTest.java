package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslationResult.TextFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A resource with a string YamlText is not sure of is written by Jackson's own YAML generator, in
 * the middle of YamlText's text, whether YamlText took it back after writing it tentatively or
 * checked it first (a resource above the tentative limit, here a limit of 0): the document is the
 * text Jackson's YAML generator writes for all its events. Resources are laid out by letters (see
 * {@link #resource}); the last one of a layout is one YamlText is sure of, unless the layout says
 * otherwise, when the whole document goes through the generator.
 */
class YamlItemFallbackTest {
  private static final ObjectMapper YAML = YamlTextTest.YAML;

  /** Entries of a resource whose text spans several of YamlText's blocks. */
  private static final int BIG = 3000;

  private static final List<String> LAYOUTS =
      List.of(
          "US",
          "SUS",
          "SUUUS",
          "SSUS",
          "UUUUUUUUUUS",
          "LUS",
          "KUS",
          "ULS",
          "UKLS",
          "FUFS",
          "SGUS",
          "GGS",
          "NUNS",
          "BVBS",
          "VVS",
          "SBS",
          "MXMS",
          "SU",
          "UU");

  /**
   * The awkward strings YamlText is not sure of as values, and others: line breaks Jackson writes
   * in a literal block with a keep indicator or an indentation indicator, a control character, a
   * long one that Jackson folds.
   */
  static Stream<String> unsure() {
    return Stream.concat(
            YamlTextTest.awkward(),
            Stream.of(
                "a\n\n", "a \nb", " a\nb", "a\u0007b", "é".repeat(50) + " word " + "é".repeat(50)))
        .filter(text -> !YamlScalars.valueStyle(text).isSure())
        .distinct();
  }

  static Stream<Arguments> layouts() {
    List<String> unsure = unsure().toList();
    return LAYOUTS.stream()
        .flatMap(
            layout ->
                unsure.stream()
                    .flatMap(
                        text ->
                            Stream.of(ResourceDocument.TENTATIVE_LIMIT, 0)
                                .map(limit -> Arguments.of(layout, text, limit))));
  }

  @ParameterizedTest(name = "{0} {2} {1}")
  @MethodSource("layouts")
  void unsureResourcesAmongSureOnes_printAsJacksonYaml(String layout, String unsure, int limit)
      throws IOException {
    TranslationResult result = document(layout, unsure);
    String expected = jacksonYaml(result);
    assertThat(cliYaml(result, limit)).isEqualTo(expected);
    assertThat(streamedYaml(result, limit)).as("written as bytes").isEqualTo(expected);
  }

  @Test
  void theUnsureStrings_includeQuotesTabsLineBreaksAndNonAscii() {
    assertThat(unsure()).contains("a\"b", "a\tb", "é", "a\\b", "a\n\n", " a\nb").hasSize(10);
  }

  /** A layout's resources, all clusters (their order in the document is the layout's). */
  private static TranslationResult document(String layout, String unsure) {
    List<Cluster> clusters = new ArrayList<>();
    for (int i = 0; i < layout.length(); i++) {
      clusters.add(resource(layout.charAt(i), "r" + i, unsure));
    }
    return new TranslationResult(List.of(), clusters, List.of());
  }

  /**
   * One resource: {@code S} plain; {@code U} the unsure string as its last value; {@code N} as its
   * name; {@code L} and {@code K} ending in a literal block (with and without a final line break);
   * {@code F} a long plain value folded over lines, {@code G} a long unsure one; {@code B} many
   * entries, {@code V} the same with the unsure string in its last key; {@code M} a struct, {@code
   * X} a struct holding the unsure string (a struct's strings are known from its events only).
   */
  private static Cluster resource(char kind, String name, String unsure) {
    Cluster.Builder cluster = Cluster.newBuilder().setName(name);
    return switch (kind) {
      case 'S' -> cluster.setAltStatName("plain").build();
      case 'U' ->
          cluster
              .setAltStatName("plain")
              .putTypedExtensionProtocolOptions("options", Any.pack(StringValue.of(unsure)))
              .build();
      case 'N' -> cluster.setName(unsure).build();
      case 'L' -> cluster.setAltStatName("line one\nline two\n").build();
      case 'K' -> cluster.setAltStatName("line one\nline two").build();
      case 'F' -> cluster.setAltStatName("word ".repeat(40).trim()).build();
      case 'G' -> cluster.setAltStatName(("word " + unsure + " ").repeat(20).trim()).build();
      case 'B', 'V' -> {
        for (int i = 0; i < BIG; i++) {
          cluster.putTypedExtensionProtocolOptions(
              "option-" + i, Any.pack(StringValue.of("value-" + i)));
        }
        if (kind == 'V') {
          cluster.putTypedExtensionProtocolOptions(
              "zz " + unsure, Any.pack(StringValue.of("last")));
        }
        yield cluster.build();
      }
      case 'M', 'X' ->
          cluster
              .setMetadata(
                  Metadata.newBuilder()
                      .putFilterMetadata(
                          "filter",
                          Struct.newBuilder()
                              .putFields(
                                  "key",
                                  Value.newBuilder()
                                      .setStringValue(kind == 'X' ? unsure : "plain")
                                      .build())
                              .build()))
              .build();
      default -> throw new IllegalArgumentException("no resource kind " + kind);
    };
  }

  /** As the CLI writes it, with the tentative limit given. */
  private static String cliYaml(TranslationResult result, int limit) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = YAML.createGenerator(text)) {
      ResourceDocument.write(result, generator, limit);
    }
    return text.toString();
  }

  /**
   * As the CLI writes it, as UTF-8 bytes to a stream (the text of Jackson's generator for the
   * unsure resources and the last line reaches the stream through its writer, between YamlText's
   * bytes), with the tentative limit given.
   */
  private static String streamedYaml(TranslationResult result, int limit) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResourceDocument.write(result, bytes, TextFormat.YAML, limit);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Jackson's YAML generator given the document's events. */
  private static String jacksonYaml(TranslationResult result) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = new JsonGeneratorDelegate(YAML.createGenerator(text))) {
      ResourceDocument.write(result, generator);
    }
    return text.toString();
  }
}
