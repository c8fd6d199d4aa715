package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TranslationResult#writeTo} on a YAML generator with the CLI's settings writes exactly the
 * text Jackson's YAML generator writes for the document's events, on every case and configuration
 * of {@link JsonFormatEquivalenceTest}: the events are written once to the CLI's generator (which
 * the document writes as text of its own when it is sure of every scalar) and once to the same
 * generator behind a delegate (which gets the events).
 */
class YamlFormatEquivalenceTest {
  /** The CLI's YAML settings (cli/.../StructuredOutput). */
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("dev.meshpassthrough.envoy.JsonFormatEquivalenceTest#corpus")
  void corpusCase_printsAsJacksonYaml(String name, Path dir, TranslatorOptions options)
      throws IOException {
    for (TranslationResult result : JsonFormatEquivalenceTest.translations(dir, options)) {
      assertThat(cliYaml(result)).isEqualTo(jacksonYaml(result));
    }
  }

  /**
   * The same with resources YamlText is not sure of (a non-ASCII name, a quote in a packed value)
   * among the translation's (the result sorts them by name: among the listeners, and first and
   * about the middle of the clusters): each is written by Jackson's generator alone between the
   * translation's resources, which YamlText writes.
   */
  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("dev.meshpassthrough.envoy.JsonFormatEquivalenceTest#corpus")
  void corpusCaseWithUnsureResources_printsAsJacksonYaml(
      String name, Path dir, TranslatorOptions options) throws IOException {
    for (TranslationResult result : JsonFormatEquivalenceTest.translations(dir, options)) {
      List<Listener> listeners = new ArrayList<>(result.listeners());
      listeners.add(Listener.newBuilder().setName("listener-é").build());
      List<Cluster> clusters = new ArrayList<>(result.clusters());
      for (String unsureName : List.of("a", "meshpassthrough")) {
        clusters.add(
            Cluster.newBuilder()
                .setName(unsureName)
                .putTypedExtensionProtocolOptions("quoted", Any.pack(StringValue.of("a\"b")))
                .build());
      }
      TranslationResult mixed = new TranslationResult(listeners, clusters, result.notes());
      assertThat(cliYaml(mixed)).isEqualTo(jacksonYaml(mixed));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.meshpassthrough.envoy.JsonFormatEquivalenceTest#everyKind")
  void everyKindOfEntry_printsAsJacksonYaml(TranslatorOptions options) throws IOException {
    for (TranslationResult result :
        JsonFormatEquivalenceTest.onDefaultProxy(
            options, JsonFormatEquivalenceTest.everyKindConf())) {
      assertThat(cliYaml(result)).isEqualTo(jacksonYaml(result));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.meshpassthrough.envoy.JsonFormatEquivalenceTest#everyKind")
  void aDocumentOfManyChunks_printsAsJacksonYaml(TranslatorOptions options) throws IOException {
    for (TranslationResult result :
        JsonFormatEquivalenceTest.onDefaultProxy(
            options, JsonFormatEquivalenceTest.manyChunksConf())) {
      String yaml = cliYaml(result);
      assertThat(yaml.length()).isGreaterThan(1 << 17);
      assertThat(yaml).isEqualTo(jacksonYaml(result));
    }
  }

  /**
   * Awkward strings as a listener's value, a cluster's value and map key, and a packed value, in
   * resources before and after others: the document's strings are checked from the resources'
   * encodings (YamlWireCheck), which must decline what YamlText cannot write, and the last line on
   * its own.
   */
  @ParameterizedTest
  @MethodSource("dev.meshpassthrough.envoy.internal.YamlTextTest#awkward")
  void awkwardStringsInResources_printAsJacksonYaml(String text) throws IOException {
    // The names are plain: the strings inside the resources alone must decide.
    Listener listener = Listener.newBuilder().setName("l").setStatPrefix(text).build();
    Cluster awkward =
        Cluster.newBuilder()
            .setName("b")
            .setAltStatName(text)
            .putTypedExtensionProtocolOptions(
                text.isEmpty() ? "empty" : text, Any.pack(StringValue.of(text)))
            .build();
    // The awkward cluster is the document's last resource, then not.
    for (String plainName : List.of("a", "zz")) {
      Cluster plain = Cluster.newBuilder().setName(plainName).setAltStatName("plain").build();
      TranslationResult result =
          new TranslationResult(List.of(listener), List.of(plain, awkward), List.of());
      assertThat(cliYaml(result)).isEqualTo(jacksonYaml(result));
    }
  }

  /**
   * As a generator with the CLI's settings writes it, once it is checked that the document written
   * as bytes ({@link TranslationResult#writeTo(java.io.OutputStream,
   * TranslationResult.TextFormat)}, as the CLI writes it) is the same text.
   */
  static String cliYaml(TranslationResult result) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = YAML.createGenerator(text)) {
      result.writeTo(generator);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result.writeTo(bytes, TranslationResult.TextFormat.YAML);
    // Compared as UTF-8, which has no lone surrogate (a writer encodes one as '?').
    assertThat(bytes.toByteArray())
        .as("written as bytes")
        .isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
    return text.toString();
  }

  /** Jackson's YAML generator given the document's events. */
  static String jacksonYaml(TranslationResult result) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = new JsonGeneratorDelegate(YAML.createGenerator(text))) {
      result.writeTo(generator);
    }
    return text.toString();
  }

  /** Clusters of many connect timeouts ({@link JsonFormatEquivalenceTest#manyDurations}). */
  @Test
  void manyDurations_printAsJacksonYaml() throws IOException {
    TranslationResult result = JsonFormatEquivalenceTest.manyDurations();
    assertThat(cliYaml(result)).isEqualTo(jacksonYaml(result));
  }
}
