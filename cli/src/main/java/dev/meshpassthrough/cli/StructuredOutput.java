package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslationResult.TextFormat;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes plain trees (maps, lists, scalars) as YAML or JSON, in insertion order. */
final class StructuredOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private StructuredOutput() {}

  /** Writes generator events; {@link #stream} gives it a generator of the output format. */
  interface Events {
    void writeTo(JsonGenerator generator) throws IOException;
  }

  /**
   * Writes the events of {@code events} to {@code out} in {@code format}, as UTF-8 text ending in a
   * newline: the text {@link #write} prints for the tree those events describe, without ever
   * holding that text. Flushes {@code out}; does not close it.
   */
  static void stream(OutputStream out, OutputFormat format, Events events) {
    try {
      LastCharacter writer =
          new LastCharacter(
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
      try (JsonGenerator generator =
          (format == OutputFormat.json ? JSON : YAML).createGenerator(writer)) {
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        events.writeTo(generator);
      }
      if (writer.last != '\n') {
        writer.write('\n');
      }
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a translation's resource document to {@code out} in {@code format} ({@code yaml} or
   * {@code json}), as UTF-8 text ending in a newline: the text {@link #stream} writes for {@code
   * resources::writeTo}, written as bytes ({@link TranslationResult#writeTo(OutputStream,
   * TextFormat)}), without widening its ASCII text to characters and encoding it back. Flushes
   * {@code out}; does not close it.
   */
  static void streamDocument(OutputStream out, OutputFormat format, TranslationResult resources) {
    TextFormat document =
        switch (format) {
          case json -> TextFormat.JSON;
          case yaml -> TextFormat.YAML;
          default -> throw new IllegalArgumentException("a document is yaml or json: " + format);
        };
    try {
      LastByte tracked = new LastByte(out);
      resources.writeTo(tracked, document);
      if (tracked.last != '\n') {
        tracked.write('\n');
      }
      tracked.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree as text in {@code format} ({@code yaml} or {@code json}), ending in a newline. */
  static String write(Object tree, OutputFormat format) {
    try {
      String text = (format == OutputFormat.json ? JSON : YAML).writeValueAsString(tree);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a plain tree always serialises", e);
    }
  }

  /**
   * Remembers the last byte written through it, so that the stream ends in exactly one newline;
   * passes arrays on whole (a {@code FilterOutputStream} writes them a byte at a time).
   */
  private static final class LastByte extends FilterOutputStream {
    private int last = -1;

    LastByte(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      last = b & 0xff;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      if (length > 0) {
        last = bytes[offset + length - 1] & 0xff;
      }
    }
  }

  /**
   * Remembers the last character written through it, so that the stream ends in exactly one
   * newline.
   */
  private static final class LastCharacter extends FilterWriter {
    private int last = -1;

    LastCharacter(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      out.write(c);
      last = c;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
      out.write(buffer, offset, length);
      if (length > 0) {
        last = buffer[offset + length - 1];
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(text, offset, length);
      if (length > 0) {
        last = text.charAt(offset + length - 1);
      }
    }
  }
}
