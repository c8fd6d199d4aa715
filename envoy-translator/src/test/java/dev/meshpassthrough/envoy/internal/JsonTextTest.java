package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JsonText} writes what Jackson's JSON generator with the CLI's settings writes, for awkward
 * strings as values and keys, given as strings and as UTF-8 bytes; and {@link JsonTextProbe} takes
 * the CLI's generator for one JsonText reproduces, and no generator of other settings.
 */
class JsonTextTest {
  /** The CLI's JSON settings (cli/.../StructuredOutput). */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void theCliGenerator_isReproduced() {
    assertThat(probe(out -> generator(JSON, out))).isTrue();
    // ResourceDocument.toJson's.
    assertThat(
            probe(
                out -> {
                  try {
                    return ProtoJson.mapper()
                        .writer(SerializationFeature.INDENT_OUTPUT)
                        .createGenerator(out);
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                }))
        .isTrue();
  }

  static Stream<Function<Writer, JsonGenerator>> otherSettings() {
    return Stream.of(
        out -> generator(JSON, out).setPrettyPrinter(indented(new DefaultIndenter("    ", "\n"))),
        out -> generator(JSON, out).setPrettyPrinter(indented(new DefaultIndenter("  ", "\r\n"))),
        out ->
            generator(JSON, out)
                .setPrettyPrinter(new DefaultPrettyPrinter().withoutSpacesInObjectEntries()),
        out -> generator(JSON, out).enable(JsonGenerator.Feature.ESCAPE_NON_ASCII),
        out -> generator(JSON, out).enable(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS),
        out -> generator(new ObjectMapper(), out),
        out ->
            generator(
                JsonMapper.builder()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(JsonWriteFeature.QUOTE_FIELD_NAMES)
                    .build(),
                out),
        out ->
            generator(
                JsonMapper.builder()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                    .build(),
                out),
        // No codec: the probe cannot make a generator like it.
        out -> generator(new JsonFactory(), out).useDefaultPrettyPrinter());
  }

  @ParameterizedTest
  @MethodSource("otherSettings")
  void aGeneratorOfOtherSettings_isNotReproduced(Function<Writer, JsonGenerator> settings) {
    assertThat(probe(settings)).isFalse();
  }

  @Test
  void aGeneratorThatWroteAlready_isNotReproduced() throws IOException {
    JsonGenerator generator = JSON.createGenerator(new StringWriter());
    generator.writeStartArray();
    assertThat(JsonTextProbe.reproduces(generator)).isFalse();
    generator.writeEndArray();
    assertThat(JsonTextProbe.reproduces(generator)).isFalse();
  }

  static Stream<String> awkward() {
    Stream.Builder<String> strings = Stream.builder();
    YamlTextTest.awkward().forEach(strings);
    for (char c = 0; c < 0x100; c++) {
      strings.add(String.valueOf(c));
      strings.add("a" + c + "b");
    }
    Stream.of("\u2028", "\ud83d\ude00", "\ud800", "中文", "\u00e9\u0000\u001f", "a".repeat(40_000))
        .forEach(strings);
    return strings.build();
  }

  @ParameterizedTest
  @MethodSource("awkward")
  void awkwardStrings_areWrittenAsJacksonWritesThem(String text) throws IOException {
    assertThat(viaJsonText(text)).isEqualTo(viaJackson(text));
  }

  @Test
  void stringsLongerThanAChunk_areWrittenAsJacksonWritesThem() throws IOException {
    for (String text : List.of("a".repeat(70_000), "\u00e9".repeat(70_000))) {
      assertThat(viaJsonText(text)).isEqualTo(viaJackson(text));
    }
  }

  @Test
  void randomStrings_areWrittenAsJacksonWritesThem() throws IOException {
    Random random = new Random(19);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int length = random.nextInt(12); length > 0; length--) {
        text.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x800)));
      }
      assertThat(viaJsonText(text.toString())).isEqualTo(viaJackson(text.toString()));
    }
  }

  /** {@code text} as a key and value, from a string and from UTF-8, at two depths, via JsonText. */
  private static String viaJsonText(String text) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator frame = JSON.createGenerator(out)) {
      ResourceDocument.startDocument(frame);
      frame.flush();
      JsonText items = new JsonText(out);
      writeItems(items, text);
      items.finish();
      ResourceDocument.endDocument(frame);
    }
    return out.toString();
  }

  private static String viaJackson(String text) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator events = JSON.createGenerator(out)) {
      ResourceDocument.startDocument(events);
      writeItems(events, text);
      ResourceDocument.endDocument(events);
    }
    return out.toString();
  }

  private static void writeItems(JsonGenerator generator, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    for (int item = 0; item < 2; item++) {
      generator.writeStartObject();
      generator.writeFieldName(text);
      generator.writeString(text);
      generator.writeFieldName(new FieldName(text + "!"));
      generator.writeStartArray();
      if (generator instanceof DocumentText direct) {
        direct.writeUTF8String(utf8, 0, utf8.length);
        generator.writeStartObject();
        direct.writeFieldName(utf8, 0, utf8.length);
        direct.writeUTF8String(utf8, 0, utf8.length);
      } else {
        generator.writeString(new String(utf8, StandardCharsets.UTF_8));
        generator.writeStartObject();
        generator.writeFieldName(new String(utf8, StandardCharsets.UTF_8));
        generator.writeString(new String(utf8, StandardCharsets.UTF_8));
      }
      generator.writeEndObject();
      generator.writeEndArray();
      generator.writeEndObject();
    }
  }

  private static boolean probe(Function<Writer, JsonGenerator> settings) {
    try (JsonGenerator generator = settings.apply(new StringWriter())) {
      return JsonTextProbe.reproduces(generator);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static DefaultPrettyPrinter indented(DefaultIndenter indenter) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter();
    printer.indentObjectsWith(indenter);
    return printer;
  }

  private static JsonGenerator generator(ObjectMapper mapper, Writer out) {
    try {
      return mapper.createGenerator(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonGenerator generator(JsonFactory factory, Writer out) {
    try {
      return factory.createGenerator(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
