package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.WriterBasedJsonGenerator;
import com.fasterxml.jackson.core.util.Instantiatable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Whether {@link JsonText} writes what a caller's generator would: decided by writing a probe
 * document (every kind of event a resource document has, every ASCII character and some others in
 * strings and field names, empty and nested containers, deep indents) through a generator
 * configured as the caller's (made by the same factory, with its features, a fresh copy of its
 * pretty printer, its character escapes) twice, once all through it and once with JsonText writing
 * the items inside the frame, and comparing the texts. Jackson's own JSON generator with its
 * default pretty printer passes (the CLI's settings); another indentation, line separator,
 * separators, escaping of non-ASCII characters, quoting of numbers or field names fails, and the
 * document is then written as events through the caller's generator.
 *
 * <p>Probed on every call rather than remembered: a factory and a pretty printer are mutable, and
 * the probe costs some tens of microseconds against milliseconds of printing.
 */
final class JsonTextProbe {
  /** Every ASCII character, and characters beyond it Jackson may escape or not. */
  private static final String AWKWARD = ascii() + "\u0080\u00e9\u00a0\u2028\u2029\ufeff中😀";

  private JsonTextProbe() {}

  /**
   * Whether JsonText writes the items of a document whose frame {@code generator} writes as that
   * generator would write them: it is Jackson's JSON generator to a writer, at the start of its
   * output, and writes the probe document as JsonText does.
   */
  static boolean reproduces(JsonGenerator generator) {
    if (generator.getClass() != WriterBasedJsonGenerator.class
        || !(generator.getOutputTarget() instanceof Writer)
        || !generator.getOutputContext().inRoot()
        || generator.getOutputContext().getEntryCount() != 0) {
      return false;
    }
    try {
      StringWriter expected = new StringWriter();
      try (JsonGenerator events = like(generator, expected)) {
        if (events == null) {
          return false;
        }
        ResourceDocument.startDocument(events);
        writeItems(events);
        ResourceDocument.endDocument(events);
      }
      StringWriter text = new StringWriter();
      try (JsonGenerator frame = like(generator, text)) {
        if (frame == null) {
          return false;
        }
        ResourceDocument.startDocument(frame);
        frame.flush();
        JsonText items = new JsonText(text);
        writeItems(items);
        items.finish();
        ResourceDocument.endDocument(frame);
      }
      return text.toString().equals(expected.toString());
    } catch (IOException | RuntimeException unreproducible) {
      // A pretty printer that cannot be copied (a subclass of Jackson's), a codec without a
      // factory: the caller's generator writes the document itself.
      return false;
    }
  }

  /**
   * A generator to {@code out} configured as {@code generator}, or null when it cannot be: made by
   * its codec's factory (which made it, for a generator from an ObjectMapper or ObjectWriter).
   */
  private static @Nullable JsonGenerator like(JsonGenerator generator, Writer out)
      throws IOException {
    ObjectCodec codec = generator.getCodec();
    PrettyPrinter printer = generator.getPrettyPrinter();
    if (codec == null || !(printer instanceof Instantiatable<?> copyable)) {
      return null;
    }
    JsonFactory factory = codec.getFactory();
    JsonGenerator like = factory.createGenerator(out);
    if (like.getClass() != generator.getClass()) {
      like.close();
      return null;
    }
    like.overrideStdFeatures(generator.getFeatureMask(), ~0);
    if (generator.getCharacterEscapes() != null) {
      // Only then: setting none resets escapes the factory configured (of forward slashes).
      like.setCharacterEscapes(generator.getCharacterEscapes());
    }
    like.setHighestNonEscapedChar(generator.getHighestEscapedChar());
    like.setPrettyPrinter((PrettyPrinter) copyable.createInstance());
    return like;
  }

  /** The probe's items, as ProtoJsonStream writes a resource's events. */
  private static void writeItems(JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName(new FieldName("name"));
    writeUtf8(generator, "probe");
    generator.writeFieldName("resource");
    generator.writeStartObject();
    generator.writeFieldName(new FieldName("@type"));
    generator.writeString(new SerializedString("type.googleapis.com/a.b/\"c\""));
    for (int i = 0; i < AWKWARD.length(); i++) {
      String character = AWKWARD.substring(i, AWKWARD.offsetByCodePoints(i, 1));
      if (character.length() == 2) {
        i++;
      }
      // A key and a value of each character alone, and within ASCII text.
      generator.writeFieldName(character);
      generator.writeString(character);
      writeUtf8Name(generator, "k" + character + "k");
      writeUtf8(generator, "v" + character + "v");
    }
    FieldName name = new FieldName("a\"b\\c/\u00e9\n");
    for (int i = 0; i < 2; i++) {
      generator.writeFieldName(name);
      generator.writeStartArray();
      generator.writeNumber(0);
      generator.writeNumber(-1);
      generator.writeNumber(Integer.MIN_VALUE);
      generator.writeNumber(Long.MIN_VALUE);
      generator.writeNumber(1L << 53);
      generator.writeNumber(1.5);
      generator.writeNumber(-0.0);
      generator.writeNumber(1e21);
      generator.writeNumber(1e-7);
      generator.writeNumber(Double.NaN);
      generator.writeNumber(Double.NEGATIVE_INFINITY);
      generator.writeNumber(1.1f);
      generator.writeNumber(new BigInteger("123456789012345678901234567890"));
      generator.writeNumber(new BigDecimal("1E+3"));
      generator.writeBoolean(true);
      generator.writeBoolean(false);
      generator.writeNull();
      generator.writeString("");
      writeUtf8(generator, "");
      generator.writeStartObject();
      generator.writeEndObject();
      generator.writeStartArray();
      generator.writeEndArray();
      generator.writeStartObject();
      generator.writeFieldName("empty");
      generator.writeStartArray();
      generator.writeEndArray();
      generator.writeEndObject();
      generator.writeEndArray();
    }
    generator.writeFieldName("empty");
    generator.writeStartObject();
    generator.writeEndObject();
    // Deeper than one chunk of Jackson's indenter (64 spaces), deeper than resources go.
    for (int depth = 0; depth < 140; depth++) {
      generator.writeFieldName("d");
      generator.writeStartObject();
    }
    generator.writeFieldName("leaf");
    generator.writeNumber(1);
    for (int depth = 0; depth < 140; depth++) {
      generator.writeEndObject();
    }
    generator.writeEndObject();
    generator.writeEndObject();
    generator.writeStartObject();
    generator.writeEndObject();
  }

  /** A string value as ProtoJsonStream writes one from an encoding. */
  private static void writeUtf8(JsonGenerator generator, String text) throws IOException {
    if (generator instanceof DocumentText direct) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      direct.writeUTF8String(bytes, 0, bytes.length);
    } else {
      generator.writeString(text);
    }
  }

  /** A string map key as ProtoJsonStream writes one from an encoding. */
  private static void writeUtf8Name(JsonGenerator generator, String name) throws IOException {
    if (generator instanceof DocumentText direct) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      direct.writeFieldName(bytes, 0, bytes.length);
    } else {
      generator.writeFieldName(name);
    }
  }

  private static String ascii() {
    StringBuilder text = new StringBuilder(128);
    for (char c = 0; c < 128; c++) {
      text.append(c);
    }
    return text.toString();
  }
}
