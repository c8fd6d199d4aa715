package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link YamlText} writes what Jackson's YAML generator with the CLI's settings writes, for awkward
 * strings as values, keys and sequence items at several depths, or declines them ({@link
 * YamlText#isSure()} false), in which case the document is written through the generator.
 */
class YamlTextTest {
  /** The CLI's YAML settings (cli/.../StructuredOutput). */
  static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  /** Strings a translation holds, which must take the fast path. */
  static final List<String> COMMON =
      List.of(
          "@type",
          "type.googleapis.com/envoy.config.listener.v3.Listener",
          "0.0.0.0",
          "::",
          "2001:db8::/48",
          "10.0.0.1",
          "outbound:passthrough:ipv4",
          "*.example.com",
          "meshpassthrough_audit_443_*_tls",
          "15001",
          "true",
          "ORIGINAL_DST");

  static Stream<String> awkward() {
    return Stream.concat(
        COMMON.stream(),
        Stream.of(
            "",
            "-",
            "-1",
            "+1",
            "1.5",
            ".5",
            "1e3",
            "0x1F",
            "07",
            "-x",
            "?",
            "?x",
            ":",
            "a:",
            "a:b",
            ":a",
            "a#b",
            "#a",
            "a,b",
            "[a]",
            "{a}",
            "a]",
            "&a",
            "!a",
            "|a",
            ">a",
            "'a",
            "a'b",
            "\"a",
            "a\"b",
            "%a",
            "`a",
            "---",
            "---a",
            "...",
            "..a",
            "yes",
            "No",
            "NULL",
            "~",
            "on",
            "Off",
            "y",
            "n",
            "a b",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "é",
            "a\\b",
            "=",
            "<<",
            "*",
            "a".repeat(99),
            "a".repeat(101),
            "1".repeat(150),
            "x.y/".repeat(40)));
  }

  @ParameterizedTest
  @MethodSource("awkward")
  void awkwardString_isWrittenAsJacksonDoes_orDeclined(String text) throws IOException {
    for (boolean asKey : List.of(true, false)) {
      YamlText check = YamlText.checker();
      document(check, text, asKey);
      if (check.isSure()) {
        assertThat(written(text, asKey)).isEqualTo(jackson(text, asKey));
      }
    }
  }

  @Test
  void longValuesWithSpaces_areWrittenAsJacksonDoes() throws IOException {
    for (String text :
        List.of(
            "word ".repeat(30).trim(),
            "xds.route_name == 'meshpassthrough_audit' && request.protocol != 'HTTP/2'",
            "No MeshPassthrough rule allows this destination.\n",
            "it's a test of quoting across a line longer than eighty columns, it's long")) {
      YamlText check = YamlText.checker();
      document(check, text, false);
      assertThat(check.isSure()).as(text).isTrue();
      assertThat(written(text, false)).isEqualTo(jackson(text, false));
    }
  }

  @Test
  void stringsOfATranslation_takeTheFastPath() throws IOException {
    for (String text : COMMON) {
      YamlText check = YamlText.checker();
      document(check, text, true);
      assertThat(check.isSure()).as(text).isTrue();
    }
  }

  @Test
  void aKeyWithASpace_isDeclined() throws IOException {
    YamlText check = YamlText.checker();
    document(check, "a b", true);
    assertThat(check.isSure()).isFalse();
  }

  /**
   * Field names given as one {@link FieldName} each, as ProtoJsonStream gives them, whose text
   * YamlText keeps after writing it once: the same names again at other depths, next to other
   * names, and in a second document.
   */
  @Test
  void repeatedFieldNames_areWrittenAsJacksonDoes() throws IOException {
    List<FieldName> names =
        Stream.of("plain", "@type", "123", "true", "a:b", "x".repeat(90), "-a", "it's")
            .map(FieldName::new)
            .toList();
    for (int document = 0; document < 2; document++) {
      StringWriter out = new StringWriter();
      try (YAMLGenerator yaml = (YAMLGenerator) YAML.createGenerator(out)) {
        YamlText writer = new YamlText(YamlText.Mode.WRITE, out);
        namesDocument(writer, names);
        writer.finish(yaml);
      }
      StringWriter expected = new StringWriter();
      try (JsonGenerator yaml = YAML.createGenerator(expected)) {
        namesDocument(yaml, names);
      }
      assertThat(out.toString()).isEqualTo(expected.toString());
    }
    assertThat(names.get(1).yamlKey())
        .containsExactly("'@type':".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Short strings given as UTF-8 bytes (ALPN values, transport protocols), whose answer YamlText
   * keeps by their bytes: every awkward string of at most eight bytes that YamlText is sure of and
   * more plain ones than it keeps answers for, each written three times in a row and again after
   * the others, next to numbers of every length (written as digits), as Jackson writes them.
   */
  @Test
  void shortUtf8StringsAndNumbers_areWrittenAsJacksonDoes() throws IOException {
    List<String> texts = new ArrayList<>();
    awkward()
        .filter(text -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 8)
        .filter(text -> YamlScalars.valueStyle(text).isSure())
        .forEach(texts::add);
    for (int i = 0; i < 200; i++) {
      texts.add("h" + i);
    }
    texts.addAll(List.copyOf(texts));
    long[] numbers = {0, 7, 10, 99, 65535, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
    StringWriter out = new StringWriter();
    try (YAMLGenerator yaml = (YAMLGenerator) YAML.createGenerator(out)) {
      YamlText writer = new YamlText(YamlText.Mode.WRITE, out);
      shortStringsDocument(writer, texts, numbers);
      writer.finish(yaml);
    }
    StringWriter expected = new StringWriter();
    try (JsonGenerator yaml = YAML.createGenerator(expected)) {
      shortStringsDocument(yaml, texts, numbers);
    }
    assertThat(texts).hasSizeGreaterThan(400);
    assertThat(out.toString()).isEqualTo(expected.toString());
  }

  private static void shortStringsDocument(
      JsonGenerator generator, List<String> texts, long[] numbers) throws IOException {
    generator.writeStartArray();
    int n = 0;
    for (String text : texts) {
      byte[] bytes = ("xx" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < 3; i++) {
        if (generator instanceof YamlText yamlText) {
          yamlText.writeUTF8String(bytes, 2, bytes.length - 2);
        } else {
          generator.writeString(text);
        }
      }
      long number = numbers[n++ % numbers.length];
      if (number == (int) number) {
        generator.writeNumber((int) number);
      } else {
        generator.writeNumber(number);
      }
      generator.writeStartObject();
      generator.writeFieldName("port");
      generator.writeNumber(number);
      generator.writeEndObject();
    }
    generator.writeEndArray();
  }

  private static void namesDocument(JsonGenerator generator, List<FieldName> names)
      throws IOException {
    generator.writeStartObject();
    for (int depth = 0; depth < 3; depth++) {
      for (FieldName name : names) {
        generator.writeFieldName(name);
        generator.writeString(name.getValue());
      }
      generator.writeFieldName(names.get(depth));
      generator.writeStartArray();
      generator.writeStartObject();
    }
    for (FieldName name : names) {
      generator.writeFieldName(name);
      generator.writeNumber(1);
    }
    for (int depth = 0; depth < 3; depth++) {
      generator.writeEndObject();
      generator.writeEndArray();
    }
    generator.writeEndObject();
  }

  /** YamlText's document, as ResourceDocument writes it. */
  private static String written(String text, boolean asKey) throws IOException {
    StringWriter out = new StringWriter();
    try (YAMLGenerator yaml = (YAMLGenerator) YAML.createGenerator(out)) {
      YamlText writer = new YamlText(YamlText.Mode.WRITE, out);
      document(writer, text, asKey);
      writer.finish(yaml);
    }
    return out.toString();
  }

  private static String jackson(String text, boolean asKey) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator yaml = YAML.createGenerator(out)) {
      document(yaml, text, asKey);
    }
    return out.toString();
  }

  /** {@code text} as a value, a key and an item, at the top and nested, near empty collections. */
  private static void document(JsonGenerator generator, String text, boolean asKey)
      throws IOException {
    String key = asKey ? text : "key";
    generator.writeStartObject();
    generator.writeFieldName("value");
    generator.writeString(text);
    generator.writeFieldName(key);
    generator.writeNumber(1);
    generator.writeFieldName("items");
    generator.writeStartArray();
    generator.writeString(text);
    generator.writeStartObject();
    generator.writeFieldName(key);
    generator.writeStartArray();
    generator.writeString(text);
    generator.writeStartArray();
    generator.writeEndArray();
    generator.writeStartArray();
    generator.writeString(text);
    generator.writeNumber(2.5);
    generator.writeEndArray();
    generator.writeEndArray();
    generator.writeFieldName("empty");
    generator.writeStartObject();
    generator.writeEndObject();
    generator.writeFieldName("nested");
    generator.writeStartObject();
    generator.writeFieldName("deeper");
    generator.writeStartObject();
    generator.writeFieldName(key);
    generator.writeString(text);
    generator.writeFieldName("flag");
    generator.writeBoolean(true);
    generator.writeFieldName("none");
    generator.writeNull();
    generator.writeEndObject();
    generator.writeEndObject();
    generator.writeEndObject();
    generator.writeStartObject();
    generator.writeEndObject();
    generator.writeEndArray();
    generator.writeFieldName("last");
    if (asKey) {
      generator.writeString(text);
    } else {
      generator.writeNumber(3);
    }
    generator.writeEndObject();
  }
}
