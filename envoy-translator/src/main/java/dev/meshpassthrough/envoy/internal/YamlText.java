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
 * writes only scalars it is sure of ({@link YamlScalars}): either a {@link Mode#CHECK} pass first
 * tells whether every scalar is one, or an item of a sequence is written tentatively ({@link
 * #beginItem}): none of its text reaches the writer before it is complete, and at a scalar this
 * writer is not sure of the item is taken back ({@link #endItem}) to be written by someone else
 * ({@link #writeItemText}).
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
   * at the first scalar it is not sure of outside a tentative item: those events were checked
   * first, by a checking pass or {@link YamlWireCheck}).
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

  /** A line break and spaces, copied from for indents. */
  private static final byte[] INDENTS =
      ("\n" + " ".repeat(127)).getBytes(StandardCharsets.US_ASCII);

  private static final int ROOT = -1;

  /** The emitter's indent step ({@code bestIndent}) and line width ({@code bestWidth}). */
  private static final int INDENT = 2;

  private static final int WIDTH = 80;

  private final Mode mode;

  /** Where the text goes: none when checking. */
  private final @Nullable TextSink out;

  /** The text not yet handed to the writer. */
  private final TextBlocks blocks;

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

  /**
   * The text of constant values written as one plain word, by identity; {@link #NOT_A_WORD} for the
   * others.
   */
  private final Map<SerializableString, byte[]> words = new IdentityHashMap<>();

  private static final byte[] NOT_A_WORD = new byte[0];

  /**
   * Whether every scalar so far (when writing: of the tentative item) is one this writer is sure
   * of.
   */
  private boolean sure = true;

  /**
   * Where the item written tentatively starts (text from there on is not handed to the writer), or
   * -1 outside one; and the emitter's state there, restored when it is taken back.
   */
  private long itemStart = -1;

  private int itemDepth;
  private int itemIndent;
  private int itemColumn;
  private boolean itemWhitespace;
  private boolean itemIndention;
  private boolean itemMappingValue;

  // The emitter's state.
  private int indent = ROOT;
  private int column;
  private boolean whitespace = true;
  private boolean indention = true;

  /** A collection started whose first event (its end when it is empty) is still to come. */
  private Pending pending = Pending.NONE;

  /** Whether the next node is a mapping's value (SnakeYAML's mapping context). */
  private boolean mappingValue;

  // The last line: where it starts, and its key (null for a sequence item) and value.
  private long lastLine;
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
    this(mode, out == null ? null : TextSink.of(out));
  }

  /** A YamlText that only checks, writing nothing. */
  static YamlText checker() {
    return new YamlText(Mode.CHECK, (TextSink) null);
  }

  /** A YamlText of {@code mode} whose text goes to {@code out} (none when checking). */
  YamlText(Mode mode, @Nullable TextSink out) {
    this.mode = mode;
    this.out = mode == Mode.WRITE ? out : null;
    this.blocks = new TextBlocks(this.out);
  }

  /**
   * Whether every scalar written so far is one this writer writes as the emitter does, and the last
   * line, which {@link #finish} writes through the YAMLGenerator, is one line.
   */
  boolean isSure() {
    return sure && lineBreaks == lastLineBreaks;
  }

  /**
   * Whether every scalar checked is one this writer is sure of, whatever the last line: for
   * checking one resource, which need not be the document's last.
   */
  boolean isSureOfScalars() {
    return sure;
  }

  /**
   * Starts writing an item of the sequence being written, tentatively: none of its text reaches the
   * writer before {@link #endItem}, so that the item can be taken back there.
   */
  void beginItem() throws IOException {
    if (mode != Mode.WRITE || itemStart >= 0) {
      throw new IllegalStateException("a writing YamlText begins one item at a time");
    }
    openPending();
    if (depth == 0 || frames[depth - 1] != Frame.SEQUENCE) {
      throw new IllegalStateException("an item is written in a sequence");
    }
    markLine(blocks.position());
    itemStart = blocks.position();
    itemDepth = depth;
    itemIndent = indent;
    itemColumn = column;
    itemWhitespace = whitespace;
    itemIndention = indention;
    itemMappingValue = mappingValue;
  }

  /**
   * Ends the item begun with {@link #beginItem}: true when it is written, false when it had a
   * scalar this writer is not sure of and is taken back, this writer being where it was before the
   * item (the item is then written with {@link #writeItemText}).
   */
  boolean endItem() {
    if (itemStart < 0 || pending != Pending.NONE || depth != itemDepth) {
      throw new IllegalStateException("an item begun is complete");
    }
    boolean written = sure;
    if (!written) {
      // The item's events ended every collection they started: the frames are the item's start's.
      blocks.truncate(itemStart);
      indent = itemIndent;
      column = itemColumn;
      whitespace = itemWhitespace;
      indention = itemIndention;
      mappingValue = itemMappingValue;
      sure = true;
      markLine(blocks.position());
    }
    itemStart = -1;
    return written;
  }

  /** The text of one sequence item, written by someone else. */
  interface ItemText {
    /**
     * Writes the item's text to {@code out}: from its {@code -} to its last character, without the
     * line break after it, with the indents an item of the sequence has at column 0.
     *
     * @return the column after its last character
     */
    int writeTo(Writer out) throws IOException;
  }

  /**
   * Writes an item of the sequence being written, at column 0 (the resources of a document), with
   * {@code item}: the text before it goes to the writer first, then the item's. The emitter's state
   * before a sequence item of a block sequence at column 0 is the sequence's, whatever came before
   * it, apart from whether a line break is due (written here): so is SnakeYAML's, so the item's
   * text is the same as in any other document where it is such an item (tested).
   */
  void writeItemText(ItemText item) throws IOException {
    openPending();
    if (mode != Mode.WRITE
        || out == null
        || itemStart >= 0
        || depth == 0
        || frames[depth - 1] != Frame.SEQUENCE
        || indent != 0) {
      throw new IllegalStateException("an item's text is written in a sequence at column 0");
    }
    writeIndent();
    blocks.handOut(blocks.position());
    markLine(blocks.position());
    column = item.writeTo(out.writer());
    // The item ended on a character of its own: the next item's indent starts a new line.
    whitespace = false;
    indention = false;
    mappingValue = false;
  }

  /**
   * Writes the text before the last line to the writer, then the last line through {@code yaml},
   * which must write to that writer and have written nothing yet; the blocks the text was held in
   * go to the pool (see {@link TextBlocks}).
   */
  void finish(YAMLGenerator yaml) throws IOException {
    if (mode != Mode.WRITE
        || out == null
        || !isSure()
        || pending != Pending.NONE
        || itemStart >= 0) {
      throw new IllegalStateException("a complete document was written");
    }
    blocks.handOut(lastLine);
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
    blocks.release();
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
    byte[] text = name instanceof FieldName field && mode == Mode.WRITE ? field.yamlKey() : null;
    if (text == null) {
      writeNewName(name);
      return;
    }
    openPending();
    if (depth == 0 || frames[depth - 1] != Frame.MAPPING) {
      throw new IllegalStateException("a field name is written in a mapping");
    }
    int at = Math.max(indent, 0);
    byte[] line = isLineBreakDue(at) ? ((FieldName) name).yamlLine(at) : null;
    if (line != null) {
      // writeIndent's line break and spaces and the key's text, in one copy.
      int end = reserve(line.length);
      System.arraycopy(line, 0, blocks.block(), end - line.length, line.length);
      lineBreaks++;
      markLine(blocks.position() - text.length);
      column = at;
    } else {
      writeIndent();
      markLine(blocks.position());
      int end = reserve(text.length);
      System.arraycopy(text, 0, blocks.block(), end - text.length, text.length);
    }
    lastKey = name.getValue();
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
    long start = blocks.position();
    int breaks = lineBreaks;
    int block = blocks.started();
    lastKey = name.getValue();
    writeScalar(name.getValue(), style);
    writeIndicator(":", false, false, false);
    mappingValue = true;
    // The text is kept when it is all in the block being written.
    if (name instanceof FieldName field
        && mode == Mode.WRITE
        && style.isSure()
        && block == blocks.started()
        && breaks == lineBreaks) {
      field.yamlKey(blocks.textSince(start));
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
    markLine(blocks.position());
  }

  /** Before a node: in a sequence, its item indicator. */
  private void beforeNode() throws IOException {
    openPending();
    if (depth > 0 && frames[depth - 1] == Frame.SEQUENCE) {
      writeIndent();
      markLine(blocks.position());
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

  /** The last line starts at {@code start}, a sequence item unless a key is written next. */
  private void markLine(long start) {
    lastLine = start;
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

  /**
   * A constant value (a type URL): one written as one plain word has its bytes kept, copied each
   * time.
   */
  @Override
  public void writeString(SerializableString text) throws IOException {
    if (mode == Mode.WRITE) {
      byte[] word = words.computeIfAbsent(text, YamlText::plainWord);
      if (word.length > 0) {
        beforeNode();
        writeWord(word, 0, word.length);
        lastValue(LastValue.STRING, word.length);
        lastBytes = word;
        lastOffset = 0;
        return;
      }
    }
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
      if (length <= Long.BYTES && mode == Mode.WRITE && isShortPlainWord(text, offset, length)) {
        beforeNode();
        writeWord(text, offset, length);
        lastValue(LastValue.STRING, length);
        lastBytes = text;
        lastOffset = offset;
        return;
      }
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

  /**
   * Whether a string of at most eight bytes (ALPN values, transport protocols, short names: too
   * short for {@link YamlScalars#isPlainCommonValue}) is written as one plain word, as its String
   * would be; the answer for the last strings seen is kept, by their bytes, so that most short
   * strings are neither decoded nor looked at again.
   */
  private boolean isShortPlainWord(byte[] text, int offset, int length) {
    long key = 0;
    for (int i = 0; i < length; i++) {
      key = key << 8 | (text[offset + i] & 0xff);
    }
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - SHORT_SLOTS_BITS)) & ~1;
    // Two longs a slot: the packed bytes, and the length (8 bits) with the answer above it.
    long meta = shortWords[slot + 1];
    if (shortWords[slot] == key && (meta & 0xff) == length + 1) {
      return (meta >>> 8) != 0;
    }
    boolean plain = isPlainAsciiWord(new String(text, offset, length, StandardCharsets.UTF_8));
    shortWords[slot] = key;
    shortWords[slot + 1] = (length + 1) | (plain ? 1L << 8 : 0);
    return plain;
  }

  /** The short strings' answers: 2 to the {@link #SHORT_SLOTS_BITS} longs, two a string. */
  private static final int SHORT_SLOTS_BITS = 7;

  private final long[] shortWords = new long[1 << SHORT_SLOTS_BITS];

  @Override
  public void writeNumber(int value) throws IOException {
    if (value >= 0 && mode == Mode.WRITE) {
      writeDigits(value, LastValue.INT);
      return;
    }
    writePlainValue(Integer.toString(value), LastValue.INT, value);
  }

  @Override
  public void writeNumber(long value) throws IOException {
    if (value >= 0 && mode == Mode.WRITE) {
      writeDigits(value, LastValue.LONG);
      return;
    }
    writePlainValue(Long.toString(value), LastValue.LONG, value);
  }

  /**
   * {@link #writePlainValue} of a number that is not negative, its digits written straight into the
   * block (no String for the many ports and prefix lengths of a document).
   */
  private void writeDigits(long value, LastValue kind) throws IOException {
    beforeNode();
    int digits = 1;
    for (long rest = value / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int end = reserveWord(digits);
    byte[] buffer = blocks.block();
    long rest = value;
    for (int i = end - 1; i >= end - digits; i--) {
      buffer[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    lastValue(kind, value);
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
      if (mode == Mode.WRITE && itemStart < 0) {
        throw new IllegalStateException("every scalar written was checked: " + text);
      }
      // A tentative item goes on to its end, written in vain, and is taken back there.
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
   * {@link #writePlain} of a one-word scalar straight from its UTF-8 bytes when they are all {@link
   * YamlScalars#isCommon(byte) common} (most of a document's text is such words); false, having
   * written nothing, when they are not, or when checking.
   */
  private boolean writeCommonWord(byte[] text, int offset, int count) throws IOException {
    if (mode == Mode.CHECK || !YamlScalars.isCommon(text, offset, count)) {
      return false;
    }
    writeWord(text, offset, count);
    return true;
  }

  /** {@link #writePlain} of a one-word scalar from its bytes, known to be written plain. */
  private void writeWord(byte[] text, int offset, int count) throws IOException {
    int end = reserveWord(count);
    System.arraycopy(text, offset, blocks.block(), end - count, count);
  }

  /**
   * Makes room for a one-word plain scalar of {@code count} characters, after the space before it
   * when one is due (written here), and counts its columns: the word goes before the position
   * given, in {@link TextBlocks#block()}.
   */
  private int reserveWord(int count) throws IOException {
    int separator = whitespace ? 0 : 1;
    int end = reserve(separator + count);
    if (separator == 1) {
      blocks.block()[end - count - 1] = ' ';
    }
    column += separator + count;
    whitespace = false;
    indention = false;
    return end;
  }

  /** The bytes of a value written as one plain word, else {@link #NOT_A_WORD}. */
  private static byte[] plainWord(SerializableString text) {
    String value = text.getValue();
    return isPlainAsciiWord(value) ? value.getBytes(StandardCharsets.US_ASCII) : NOT_A_WORD;
  }

  /** Whether {@code value} is written as one plain word of ASCII characters. */
  private static boolean isPlainAsciiWord(String value) {
    return YamlScalars.valueStyle(value) == YamlScalars.Style.PLAIN
        && value.indexOf(' ') < 0
        && value.chars().allMatch(c -> c < 0x80);
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

  /** Whether the emitter's indent to {@code at} starts with a line break. */
  private boolean isLineBreakDue(int at) {
    return !indention || column > at || (column == at && !whitespace);
  }

  private void writeIndent() throws IOException {
    int at = Math.max(indent, 0);
    int lineBreak = 0;
    if (isLineBreakDue(at)) {
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
    byte[] buffer = blocks.block();
    if (count < INDENTS.length) {
      System.arraycopy(INDENTS, 1 - lineBreak, buffer, end - count, count);
      return;
    }
    if (lineBreak == 1) {
      buffer[end - spaces - 1] = '\n';
    }
    Arrays.fill(buffer, end - spaces, end, (byte) ' ');
  }

  private void write(char c) throws IOException {
    if (mode == Mode.CHECK) {
      return;
    }
    int end = reserve(1);
    blocks.block()[end - 1] = ascii(c);
  }

  /**
   * Writes characters {@code start} to {@code end} of {@code text}, which are ASCII: YamlScalars is
   * sure of printable ASCII only (and line breaks in literal blocks), so their low bytes, which
   * {@link String#getBytes(int, int, byte[], int)} copies, are the text.
   */
  @SuppressWarnings("deprecation")
  private void write(String text, int start, int end) throws IOException {
    if (mode == Mode.CHECK) {
      return;
    }
    int count = end - start;
    int at = reserve(count) - count;
    text.getBytes(start, end, blocks.block(), at);
  }

  /** A character YamlText writes, all ASCII (YamlScalars is sure of printable ASCII only). */
  private static byte ascii(char c) {
    if (c > 0x7f) {
      throw new IllegalStateException("YamlText writes ASCII characters only");
    }
    return (byte) c;
  }

  /**
   * Makes room for {@code count} more characters and counts them as written, giving where they end
   * in the block being written: the text before the last line, or before the tentative item, is
   * handed to the writer a block at a time.
   */
  private int reserve(int count) throws IOException {
    return blocks.reserve(count, itemStart >= 0 ? itemStart : lastLine);
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
