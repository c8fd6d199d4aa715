package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A generator that writes the YAML text Jackson's {@link YAMLGenerator} writes with the CLI's
 * settings (block style, indent 2, no document start marker, {@code MINIMIZE_QUOTES}, {@code
 * ALWAYS_QUOTE_NUMBERS_AS_STRINGS}), without SnakeYAML's emitter, which cost four times the JSON
 * writer (benchmarks/README.md, PrintBenchmark). It follows the emitter's steps (indents, the
 * column, whether the last character written was whitespace or indentation) for block mappings and
 * sequences, flow {@code {}} and {@code []} for empty ones, and plain or double-quoted scalars, and
 * writes only scalars it is sure of ({@link YamlScalars}): a {@link Mode#CHECK} pass over the
 * document first tells whether every scalar is one.
 *
 * <p>A YAMLGenerator cannot be written around (it has no raw output, and a document it closes
 * without a root node is an error), so the last line of the document, one key and value or one
 * sequence item, is held back and written through the YAMLGenerator as a root mapping or sequence
 * of one entry, after the text before it: the emitter writes exactly that line, then the document's
 * end.
 */
final class YamlText extends GeneratorBase {
  /** Whether the generator writes text or only checks that it could. */
  enum Mode {
    CHECK,
    WRITE
  }

  private enum Frame {
    MAPPING,
    SEQUENCE
  }

  private enum Pending {
    NONE,
    MAPPING,
    SEQUENCE
  }

  /** Text is handed to the writer in chunks of about this size. */
  private static final int CHUNK = 1 << 15;

  private static final int ROOT = -1;

  /** The emitter's indent step ({@code bestIndent}) and line width ({@code bestWidth}). */
  private static final int INDENT = 2;

  private static final int WIDTH = 80;

  private final Mode mode;
  private final @Nullable Writer out;
  private final StringBuilder buffer = new StringBuilder(CHUNK * 2);

  /** The open block collections, innermost last, with the indent before each. */
  private Frame[] frames = new Frame[16];

  private int[] indents = new int[16];

  private int depth;

  /** Styles of the keys seen: a document has few distinct keys and writes them many times. */
  private final Map<String, YamlScalars.Style> keyStyles = new HashMap<>();

  private char[] chunk = new char[0];

  /** The style of every string, in order: recorded when checking, replayed when writing. */
  private byte[] styles = new byte[0];

  private int styleCount;

  private final byte @Nullable [] replayed;

  private int styleNext;

  private static final YamlScalars.Style[] STYLES = YamlScalars.Style.values();
  private boolean sure = true;

  // The emitter's state.
  private int indent = ROOT;
  private int column;
  private boolean whitespace = true;
  private boolean indention = true;

  /** A collection started whose first event (its end when it is empty) is still to come. */
  private Pending pending = Pending.NONE;

  /** Whether the next node is a mapping's value (SnakeYAML's mapping context). */
  private boolean mappingValue;

  // The last line: where it starts in the buffer, and its key (null for a sequence item) and value.
  private int lastLine;
  private @Nullable String lastKey;
  private @Nullable Object lastValue;

  /** Line breaks written, and written before the last line: it is one line when they are equal. */
  private int lineBreaks;

  private int lastLineBreaks;

  YamlText(Mode mode, @Nullable Writer out) {
    this(mode, out, null);
  }

  private YamlText(Mode mode, @Nullable Writer out, byte @Nullable [] replayed) {
    super(0, null);
    this.mode = mode;
    this.out = out;
    this.replayed = replayed;
  }

  /**
   * A writer of the same events to {@code out}, which takes the style of each string from this
   * checking pass instead of working it out again (the quoting checker is most of a scalar's cost).
   */
  YamlText writerOf(Writer out) {
    if (mode != Mode.CHECK) {
      throw new IllegalStateException("a checking pass records the styles");
    }
    return new YamlText(Mode.WRITE, out, Arrays.copyOf(styles, styleCount));
  }

  /**
   * Whether every scalar written so far is one this writer writes as the emitter does, and the last
   * line, which {@link #finish} writes through the YAMLGenerator, is one line.
   */
  boolean isSure() {
    return sure && lineBreaks == lastLineBreaks;
  }

  /**
   * Writes the text before the last line to the writer, then the last line through {@code yaml},
   * which must write to that writer and have written nothing yet.
   */
  void finish(YAMLGenerator yaml) throws IOException {
    if (mode != Mode.WRITE || out == null || !isSure() || pending != Pending.NONE) {
      throw new IllegalStateException("a complete document was written");
    }
    writeOut(lastLine);
    buffer.setLength(0);
    if (lastKey != null) {
      yaml.writeStartObject();
      yaml.writeFieldName(lastKey);
      writeLastValue(yaml);
      yaml.writeEndObject();
    } else {
      yaml.writeStartArray();
      writeLastValue(yaml);
      yaml.writeEndArray();
    }
  }

  private void writeLastValue(YAMLGenerator yaml) throws IOException {
    Object value = lastValue;
    if (value instanceof Pending empty) {
      if (empty == Pending.MAPPING) {
        yaml.writeStartObject();
        yaml.writeEndObject();
      } else {
        yaml.writeStartArray();
        yaml.writeEndArray();
      }
    } else if (value instanceof Scalar scalar) {
      scalar.writeTo(yaml);
    } else {
      throw new IllegalStateException("the document has a last value");
    }
  }

  /** A scalar as it was written: replayed through the YAMLGenerator as the same call. */
  private record Scalar(@Nullable Object value) {
    void writeTo(YAMLGenerator yaml) throws IOException {
      if (value instanceof String text) {
        yaml.writeString(text);
      } else if (value instanceof Integer number) {
        yaml.writeNumber(number);
      } else if (value instanceof Long number) {
        yaml.writeNumber(number);
      } else if (value instanceof Double number) {
        yaml.writeNumber(number);
      } else if (value instanceof Boolean bool) {
        yaml.writeBoolean(bool);
      } else {
        yaml.writeNull();
      }
    }
  }

  private static final Scalar NULL = new Scalar(null);

  // ---- Structure.

  @Override
  public void writeStartObject() throws IOException {
    beforeNode();
    pending = Pending.MAPPING;
  }

  @Override
  public void writeStartArray() throws IOException {
    beforeNode();
    pending = Pending.SEQUENCE;
  }

  @Override
  public void writeEndObject() throws IOException {
    endCollection(Pending.MAPPING, Frame.MAPPING);
  }

  @Override
  public void writeEndArray() throws IOException {
    endCollection(Pending.SEQUENCE, Frame.SEQUENCE);
  }

  private void endCollection(Pending empty, Frame frame) throws IOException {
    if (pending == empty) {
      // SnakeYAML writes an empty collection in flow style.
      pending = Pending.NONE;
      writeIndicator(empty == Pending.MAPPING ? "{" : "[", true, true, false);
      writeIndicator(empty == Pending.MAPPING ? "}" : "]", false, false, false);
      lastValue = empty;
      return;
    }
    if (pending != Pending.NONE || depth == 0 || frames[depth - 1] != frame) {
      throw new IllegalStateException("collections end in the order they started");
    }
    depth--;
    indent = indents[depth];
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    openPending();
    if (depth == 0 || frames[depth - 1] != Frame.MAPPING) {
      throw new IllegalStateException("a field name is written in a mapping");
    }
    writeIndent();
    markLine(name);
    writeScalar(name, style(name, Frame.MAPPING));
    writeIndicator(":", false, false, false);
    mappingValue = true;
  }

  /** Before a node: in a sequence, its item indicator. */
  private void beforeNode() throws IOException {
    openPending();
    if (depth > 0 && frames[depth - 1] == Frame.SEQUENCE) {
      writeIndent();
      markLine(null);
      writeIndicator("-", true, false, true);
      mappingValue = false;
    }
  }

  /** A collection whose first event is not its end is a block collection. */
  private void openPending() throws IOException {
    if (pending == Pending.NONE) {
      return;
    }
    if (depth == frames.length) {
      frames = Arrays.copyOf(frames, depth * 2);
      indents = Arrays.copyOf(indents, depth * 2);
    }
    indents[depth] = indent;
    if (pending == Pending.MAPPING) {
      indent = indent == ROOT ? 0 : indent + INDENT;
      frames[depth++] = Frame.MAPPING;
    } else {
      boolean indentless = mappingValue && !indention;
      if (indent == ROOT) {
        indent = 0;
      } else if (!indentless) {
        indent += INDENT;
      }
      frames[depth++] = Frame.SEQUENCE;
    }
    pending = Pending.NONE;
  }

  /** The style of a key (in a mapping's key place) or a value, replayed when recorded. */
  private YamlScalars.Style style(String text, Frame place) {
    if (replayed != null) {
      if (styleNext == replayed.length) {
        throw new IllegalStateException("the written events are the checked ones");
      }
      return STYLES[replayed[styleNext++]];
    }
    YamlScalars.Style style =
        place == Frame.MAPPING
            ? keyStyles.computeIfAbsent(text, YamlScalars::keyStyle)
            : YamlScalars.valueStyle(text);
    if (mode == Mode.CHECK) {
      if (styleCount == styles.length) {
        styles = Arrays.copyOf(styles, Math.max(1024, styleCount * 2));
      }
      styles[styleCount++] = (byte) style.ordinal();
    }
    return style;
  }

  private void markLine(@Nullable String key) {
    lastLine = buffer.length();
    lastLineBreaks = lineBreaks;
    lastKey = key;
    lastValue = null;
  }

  // ---- Scalars.

  @Override
  public void writeString(String text) throws IOException {
    beforeNode();
    writeScalar(text, style(text, Frame.SEQUENCE));
    lastValue = new Scalar(text);
  }

  @Override
  public void writeNumber(int value) throws IOException {
    writePlainValue(Integer.toString(value), value);
  }

  @Override
  public void writeNumber(long value) throws IOException {
    writePlainValue(Long.toString(value), value);
  }

  @Override
  public void writeNumber(double value) throws IOException {
    writePlainValue(String.valueOf(value), value);
  }

  @Override
  public void writeBoolean(boolean value) throws IOException {
    writePlainValue(value ? "true" : "false", value);
  }

  @Override
  public void writeNull() throws IOException {
    writePlainValue("null", null);
  }

  private void writePlainValue(String text, @Nullable Object value) throws IOException {
    beforeNode();
    writeScalar(text, YamlScalars.Style.PLAIN);
    lastValue = value == null ? NULL : new Scalar(value);
  }

  private void writeScalar(String text, YamlScalars.Style style) throws IOException {
    if (style == YamlScalars.Style.UNSURE) {
      sure = false;
      return;
    }
    // The emitter indents a scalar's continuation lines one step deeper than its collection.
    int collection = indent;
    indent = indent == ROOT ? INDENT : indent + INDENT;
    switch (style) {
      case PLAIN -> writePlain(text);
      case SINGLE_QUOTED -> writeSingleQuoted(text);
      case DOUBLE_QUOTED -> writeDoubleQuoted(text);
      case LITERAL -> writeLiteral(text);
      case UNSURE -> throw new IllegalStateException("handled above");
    }
    indent = collection;
  }

  // SnakeYAML's scalar writers, for the characters YamlScalars allows: no escapes, line breaks only
  // in literal blocks. Map keys are never split (no spaces), values may be at spaces past the
  // width.

  private void writePlain(String text) throws IOException {
    if (!whitespace) {
      writeColumns(" ");
    }
    whitespace = false;
    indention = false;
    if (text.indexOf(' ') < 0) {
      // One word: nothing to split.
      writeColumns(text);
      return;
    }
    boolean spaces = false;
    int start = 0;
    for (int end = 0; end <= text.length(); end++) {
      char ch = end < text.length() ? text.charAt(end) : 0;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > WIDTH) {
            writeIndent();
            whitespace = false;
            indention = false;
          } else {
            writeColumns(text.substring(start, end));
          }
          start = end;
        }
      } else if (ch == 0 || ch == ' ') {
        writeColumns(text.substring(start, end));
        start = end;
      }
      if (ch != 0) {
        spaces = ch == ' ';
      }
    }
  }

  private void writeSingleQuoted(String text) throws IOException {
    writeIndicator("'", true, false, false);
    boolean spaces = false;
    int start = 0;
    for (int end = 0; end <= text.length(); end++) {
      char ch = end < text.length() ? text.charAt(end) : 0;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > WIDTH && start != 0 && end != text.length()) {
            writeIndent();
          } else {
            writeColumns(text.substring(start, end));
          }
          start = end;
        }
      } else if ((ch == 0 || ch == ' ' || ch == '\'') && start < end) {
        writeColumns(text.substring(start, end));
        start = end;
      }
      if (ch == '\'') {
        writeColumns("''");
        start = end + 1;
      }
      if (ch != 0) {
        spaces = ch == ' ';
      }
    }
    writeIndicator("'", false, false, false);
  }

  private void writeDoubleQuoted(String text) throws IOException {
    writeIndicator("\"", true, false, false);
    int start = 0;
    for (int end = 0; end <= text.length(); end++) {
      boolean atEnd = end == text.length();
      if (atEnd && start < end) {
        writeColumns(text.substring(start, end));
        start = end;
      }
      char ch = atEnd ? 0 : text.charAt(end);
      if (0 < end
          && end < text.length() - 1
          && (ch == ' ' || start >= end)
          && column + (end - start) > WIDTH) {
        writeColumns(start >= end ? "\\" : text.substring(start, end) + "\\");
        if (start < end) {
          start = end;
        }
        writeIndent();
        whitespace = false;
        indention = false;
        if (text.charAt(start) == ' ') {
          writeColumns("\\");
        }
      }
    }
    writeIndicator("\"", false, false, false);
  }

  private void writeLiteral(String text) throws IOException {
    writeIndicator(text.charAt(text.length() - 1) == '\n' ? "|" : "|-", true, false, false);
    writeLineBreak();
    boolean breaks = true;
    int start = 0;
    for (int end = 0; end <= text.length(); end++) {
      char ch = end < text.length() ? text.charAt(end) : 0;
      if (breaks) {
        if (ch != '\n') {
          for (int i = start; i < end; i++) {
            writeLineBreak();
          }
          if (ch != 0) {
            writeIndent();
          }
          start = end;
        }
      } else if (ch == 0 || ch == '\n') {
        write(text.substring(start, end));
        if (ch == 0) {
          writeLineBreak();
        }
        start = end;
      }
      if (ch != 0) {
        breaks = ch == '\n';
      }
    }
  }

  /** Writes text of no line break, counting its columns. */
  private void writeColumns(String text) throws IOException {
    write(text);
    column += text.length();
  }

  private void writeLineBreak() throws IOException {
    write("\n");
    column = 0;
    whitespace = true;
    indention = true;
    lineBreaks++;
  }

  // ---- The emitter's writing steps.

  private void writeIndicator(
      String indicator, boolean needWhitespace, boolean whitespaceAfter, boolean indentation)
      throws IOException {
    if (!whitespace && needWhitespace) {
      write(" ");
      column++;
    }
    write(indicator);
    column += indicator.length();
    whitespace = whitespaceAfter;
    indention = indention && indentation;
  }

  private void writeIndent() throws IOException {
    int at = Math.max(indent, 0);
    if (!indention || column > at || (column == at && !whitespace)) {
      writeLineBreak();
    }
    writeWhitespace(at - column);
  }

  private void writeWhitespace(int length) throws IOException {
    if (length <= 0) {
      return;
    }
    whitespace = true;
    for (int i = 0; i < length; i++) {
      write(" ");
    }
    column += length;
  }

  private void write(String text) throws IOException {
    if (mode == Mode.CHECK) {
      return;
    }
    buffer.append(text);
    if (buffer.length() >= CHUNK && lastLine > 0) {
      writeOut(lastLine);
      buffer.delete(0, lastLine);
      lastLine = 0;
    }
  }

  /** Hands the buffer's first {@code length} characters to the writer. */
  private void writeOut(int length) throws IOException {
    if (out == null) {
      throw new IllegalStateException("a writing YamlText has a writer");
    }
    if (chunk.length < length) {
      chunk = new char[Math.max(length, CHUNK * 2)];
    }
    buffer.getChars(0, length, chunk, 0);
    out.write(chunk, 0, length);
  }

  // ---- The rest of JsonGenerator: not used by the resource document.

  @Override
  public void flush() {}

  @Override
  protected void _releaseBuffers() {}

  @Override
  protected void _verifyValueWrite(String typeMsg) {}

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    writeString(new String(text, offset, len));
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) {
    throw unsupported();
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) {
    throw unsupported();
  }

  @Override
  public void writeRaw(String text) {
    throw unsupported();
  }

  @Override
  public void writeRaw(String text, int offset, int len) {
    throw unsupported();
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) {
    throw unsupported();
  }

  @Override
  public void writeRaw(char c) {
    throw unsupported();
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) {
    throw unsupported();
  }

  @Override
  public void writeNumber(BigInteger value) {
    throw unsupported();
  }

  @Override
  public void writeNumber(float value) {
    throw unsupported();
  }

  @Override
  public void writeNumber(BigDecimal value) {
    throw unsupported();
  }

  @Override
  public void writeNumber(String encodedValue) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("not in a resource document");
  }
}
