package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
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
final class YamlText extends DocumentText {
  /**
   * Whether the generator only checks that it could write the events, or writes them (which fails
   * at the first scalar it is not sure of: the events were checked first, by a checking pass or
   * {@link YamlWireCheck}).
   */
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

  /**
   * Text is handed to the writer in chunks of about this size: as large as a CLI's buffered
   * writer's buffer, which then passes them on without copying.
   */
  private static final int CHUNK = 1 << 16;

  /** A line break and spaces, copied from for indents. */
  private static final char[] INDENTS = ("\n" + " ".repeat(127)).toCharArray();

  private static final int ROOT = -1;

  /** The emitter's indent step ({@code bestIndent}) and line width ({@code bestWidth}). */
  private static final int INDENT = 2;

  private static final int WIDTH = 80;

  private final Mode mode;
  private final @Nullable Writer out;

  /** The text not yet handed to the writer, {@code length} characters of it. */
  private char[] buffer = new char[CHUNK * 2];

  private int length;

  /** How many times text was handed to the writer before the document's end. */
  private int flushes;

  /** The open block collections, innermost last, with the indent before each. */
  private Frame[] frames = new Frame[16];

  private int[] indents = new int[16];

  private int depth;

  /**
   * Styles of the field names seen, by identity: a document has few distinct field names (each a
   * shape's constant) and writes them many times.
   */
  private final Map<SerializableString, YamlScalars.Style> nameStyles = new IdentityHashMap<>();

  /** Styles of the constant values seen (type URLs), by identity, for the same reason. */
  private final Map<SerializableString, YamlScalars.Style> valueStyles = new IdentityHashMap<>();

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

  private byte @Nullable [] lastKeyBytes;

  private int lastKeyOffset;

  private int lastKeyLength;

  /** The last line's value: its kind and what the kind needs (no object per scalar). */
  private LastValue lastKind = LastValue.NONE;

  private @Nullable String lastString;

  private byte @Nullable [] lastBytes;

  private int lastOffset;

  private long lastNumber;

  private double lastDouble;

  /** Line breaks written, and written before the last line: it is one line when they are equal. */
  private int lineBreaks;

  private int lastLineBreaks;

  YamlText(Mode mode, @Nullable Writer out) {
    this.mode = mode;
    this.out = out;
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
    length = 0;
    String key =
        lastKeyBytes != null
            ? new String(lastKeyBytes, lastKeyOffset, lastKeyLength, StandardCharsets.UTF_8)
            : lastKey;
    if (key != null) {
      yaml.writeStartObject();
      yaml.writeFieldName(key);
      writeLastValue(yaml);
      yaml.writeEndObject();
    } else {
      yaml.writeStartArray();
      writeLastValue(yaml);
      yaml.writeEndArray();
    }
  }

  private void writeLastValue(YAMLGenerator yaml) throws IOException {
    switch (lastKind) {
      case EMPTY_MAPPING -> {
        yaml.writeStartObject();
        yaml.writeEndObject();
      }
      case EMPTY_SEQUENCE -> {
        yaml.writeStartArray();
        yaml.writeEndArray();
      }
      case STRING -> yaml.writeString(lastString());
      case INT -> yaml.writeNumber((int) lastNumber);
      case LONG -> yaml.writeNumber(lastNumber);
      case DOUBLE -> yaml.writeNumber(lastDouble);
      case BOOLEAN -> yaml.writeBoolean(lastNumber != 0);
      case NULL -> yaml.writeNull();
      case NONE -> throw new IllegalStateException("the document has a last value");
    }
  }

  private String lastString() {
    byte[] bytes = lastBytes;
    if (bytes != null) {
      return new String(bytes, lastOffset, (int) lastNumber, StandardCharsets.UTF_8);
    }
    if (lastString == null) {
      throw new IllegalStateException("the last value is a string");
    }
    return lastString;
  }

  /** What the last line's value is: replayed through the YAMLGenerator as the same call. */
  private enum LastValue {
    NONE,
    EMPTY_MAPPING,
    EMPTY_SEQUENCE,
    STRING,
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    NULL
  }

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
      lastKind = empty == Pending.MAPPING ? LastValue.EMPTY_MAPPING : LastValue.EMPTY_SEQUENCE;
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
    writeKey(name, YamlScalars.keyStyle(name));
  }

  /**
   * A field name: after its indent always the same text (a key has no space, so it is never split),
   * which a {@link FieldName} keeps once written.
   */
  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    char[] text = name instanceof FieldName field ? field.yamlKey() : null;
    if (text == null || mode == Mode.CHECK) {
      writeNewName(name);
      return;
    }
    beginKey();
    lastKey = name.getValue();
    int end = reserve(text.length);
    System.arraycopy(text, 0, buffer, end - text.length, text.length);
    column += text.length;
    whitespace = false;
    indention = false;
    mappingValue = true;
  }

  /** A field name not seen yet: written, and its text kept when writing. */
  private void writeNewName(SerializableString name) throws IOException {
    YamlScalars.Style style =
        nameStyles.computeIfAbsent(name, known -> YamlScalars.keyStyle(known.getValue()));
    beginKey();
    int start = length;
    int breaks = lineBreaks;
    int handedOut = flushes;
    lastKey = name.getValue();
    writeScalar(name.getValue(), style);
    writeIndicator(":", false, false, false);
    mappingValue = true;
    // The text is kept unless part of it was handed to the writer already.
    if (name instanceof FieldName field
        && mode == Mode.WRITE
        && handedOut == flushes
        && breaks == lineBreaks) {
      field.yamlKey(Arrays.copyOfRange(buffer, start, length));
    }
  }

  /**
   * A field name from its UTF-8 encoding (a string map key): a long one of common characters is
   * written plain straight from its bytes, any other as {@link #writeFieldName(String)} writes it.
   */
  @Override
  void writeFieldName(byte[] name, int offset, int length) throws IOException {
    if (!YamlScalars.isPlainCommonKey(name, offset, length)) {
      writeFieldName(new String(name, offset, length, StandardCharsets.UTF_8));
      return;
    }
    beginKey();
    if (writeCommonWord(name, offset, length)) {
      lastKeyBytes = name;
      lastKeyOffset = offset;
      lastKeyLength = length;
    } else {
      String text = new String(name, offset, length, StandardCharsets.UTF_8);
      lastKey = text;
      writeScalar(text, YamlScalars.keyStyle(text));
    }
    writeIndicator(":", false, false, false);
    mappingValue = true;
  }

  private void writeKey(String name, YamlScalars.Style style) throws IOException {
    beginKey();
    lastKey = name;
    writeScalar(name, style);
    writeIndicator(":", false, false, false);
    mappingValue = true;
  }

  private void beginKey() throws IOException {
    openPending();
    if (depth == 0 || frames[depth - 1] != Frame.MAPPING) {
      throw new IllegalStateException("a field name is written in a mapping");
    }
    writeIndent();
    markLine();
  }

  /** Before a node: in a sequence, its item indicator. */
  private void beforeNode() throws IOException {
    openPending();
    if (depth > 0 && frames[depth - 1] == Frame.SEQUENCE) {
      writeIndent();
      markLine();
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

  /** The last line starts here, a sequence item unless a key is written next. */
  private void markLine() {
    lastLine = length;
    lastLineBreaks = lineBreaks;
    lastKey = null;
    lastKeyBytes = null;
    lastKind = LastValue.NONE;
  }

  // ---- Scalars.

  @Override
  public void writeString(String text) throws IOException {
    beforeNode();
    writeStringValue(text);
  }

  private void writeStringValue(String text) throws IOException {
    writeScalar(text, YamlScalars.valueStyle(text));
    lastValue(LastValue.STRING, 0);
    lastString = text;
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    YamlScalars.Style style =
        valueStyles.computeIfAbsent(text, known -> YamlScalars.valueStyle(known.getValue()));
    beforeNode();
    writeScalar(text.getValue(), style);
    lastValue(LastValue.STRING, 0);
    lastString = text.getValue();
  }

  /**
   * A string value from its UTF-8 encoding: a long one of common characters (most of a
   * translation's: names, addresses, type URLs) is written plain straight from its bytes, any other
   * as {@link #writeString(String)} writes it.
   */
  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    if (!YamlScalars.isPlainCommonValue(text, offset, length)) {
      writeString(new String(text, offset, length, StandardCharsets.UTF_8));
      return;
    }
    beforeNode();
    if (writeCommonWord(text, offset, length)) {
      lastValue(LastValue.STRING, length);
      lastBytes = text;
      lastOffset = offset;
    } else {
      writeStringValue(new String(text, offset, length, StandardCharsets.UTF_8));
    }
  }

  @Override
  public void writeNumber(int value) throws IOException {
    writePlainValue(Integer.toString(value), LastValue.INT, value);
  }

  @Override
  public void writeNumber(long value) throws IOException {
    writePlainValue(Long.toString(value), LastValue.LONG, value);
  }

  @Override
  public void writeNumber(double value) throws IOException {
    writePlainValue(String.valueOf(value), LastValue.DOUBLE, 0);
    lastDouble = value;
  }

  @Override
  public void writeBoolean(boolean value) throws IOException {
    writePlainValue(value ? "true" : "false", LastValue.BOOLEAN, value ? 1 : 0);
  }

  @Override
  public void writeNull() throws IOException {
    writePlainValue("null", LastValue.NULL, 0);
  }

  private void writePlainValue(String text, LastValue kind, long number) throws IOException {
    beforeNode();
    writeScalar(text, YamlScalars.Style.PLAIN);
    lastValue(kind, number);
  }

  private void lastValue(LastValue kind, long number) {
    lastKind = kind;
    lastNumber = number;
    lastString = null;
    lastBytes = null;
  }

  private void writeScalar(String text, YamlScalars.Style style) throws IOException {
    if (style == YamlScalars.Style.UNSURE) {
      if (mode == Mode.WRITE) {
        throw new IllegalStateException("every scalar written was checked: " + text);
      }
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
            writeColumns(text, start, end);
          }
          start = end;
        }
      } else if (ch == 0 || ch == ' ') {
        writeColumns(text, start, end);
        start = end;
      }
      if (ch != 0) {
        spaces = ch == ' ';
      }
    }
  }

  /**
   * {@link #writePlain} of a one-word scalar straight from its UTF-8 bytes, checking that they are
   * all {@link YamlScalars#isCommon(byte) common} as it copies them (one pass: most of a document's
   * text is such words); false, having written nothing, when they are not, or when checking.
   */
  private boolean writeCommonWord(byte[] text, int offset, int count) throws IOException {
    if (mode == Mode.CHECK) {
      return false;
    }
    int separator = whitespace ? 0 : 1;
    int end = reserve(separator + count);
    int at = end - count;
    boolean common = true;
    for (int i = 0; i < count; i++) {
      byte b = text[offset + i];
      common &= YamlScalars.isCommon(b);
      buffer[at + i] = (char) b;
    }
    if (!common) {
      length = at - separator;
      return false;
    }
    if (separator == 1) {
      buffer[at - 1] = ' ';
    }
    column += separator + count;
    whitespace = false;
    indention = false;
    return true;
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
            writeColumns(text, start, end);
          }
          start = end;
        }
      } else if ((ch == 0 || ch == ' ' || ch == '\'') && start < end) {
        writeColumns(text, start, end);
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
        writeColumns(text, start, end);
        start = end;
      }
      char ch = atEnd ? 0 : text.charAt(end);
      if (0 < end
          && end < text.length() - 1
          && (ch == ' ' || start >= end)
          && column + (end - start) > WIDTH) {
        if (start < end) {
          writeColumns(text, start, end);
        }
        writeColumns("\\");
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
        write(text, start, end);
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
    write(text, 0, text.length());
    column += text.length();
  }

  /** Writes characters {@code start} to {@code end} of text of no line break, counting them. */
  private void writeColumns(String text, int start, int end) throws IOException {
    write(text, start, end);
    column += end - start;
  }

  private void writeLineBreak() throws IOException {
    write('\n');
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
      write(' ');
      column++;
    }
    write(indicator, 0, indicator.length());
    column += indicator.length();
    whitespace = whitespaceAfter;
    indention = indention && indentation;
  }

  private void writeIndent() throws IOException {
    int at = Math.max(indent, 0);
    int lineBreak = 0;
    if (!indention || column > at || (column == at && !whitespace)) {
      lineBreak = 1;
      column = 0;
      whitespace = true;
      indention = true;
      lineBreaks++;
    }
    int spaces = at - column;
    if (spaces > 0) {
      whitespace = true;
      column = at;
    } else {
      spaces = 0;
    }
    if (mode == Mode.CHECK || lineBreak + spaces == 0) {
      return;
    }
    // A line break and the spaces after it in one step: most of a document's lines start so.
    int count = lineBreak + spaces;
    int end = reserve(count);
    if (count < INDENTS.length) {
      System.arraycopy(INDENTS, 1 - lineBreak, buffer, end - count, count);
      return;
    }
    if (lineBreak == 1) {
      buffer[end - spaces - 1] = '\n';
    }
    Arrays.fill(buffer, end - spaces, end, ' ');
  }

  private void write(char c) throws IOException {
    if (mode == Mode.CHECK) {
      return;
    }
    int end = reserve(1);
    buffer[end - 1] = c;
  }

  private void write(String text, int start, int end) throws IOException {
    if (mode == Mode.CHECK) {
      return;
    }
    int at = reserve(end - start);
    text.getChars(start, end, buffer, at - (end - start));
  }

  /**
   * Makes room for {@code count} more characters and counts them as written, giving the end of the
   * room: hands the text before the last line to the writer once a chunk of it is buffered.
   */
  private int reserve(int count) throws IOException {
    if (length >= CHUNK && lastLine > 0) {
      flushes++;
      writeOut(lastLine);
      System.arraycopy(buffer, lastLine, buffer, 0, length - lastLine);
      length -= lastLine;
      lastLine = 0;
    }
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
    }
    length += count;
    return length;
  }

  /** Hands the buffer's first {@code count} characters to the writer. */
  private void writeOut(int count) throws IOException {
    if (out == null) {
      throw new IllegalStateException("a writing YamlText has a writer");
    }
    out.write(buffer, 0, count);
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
