package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A generator that writes the text Jackson's JSON generator writes with its default pretty printer
 * and escaping (the CLI's {@code --output json}, {@link ResourceDocument#toJson}), for the items of
 * a document's {@code resources} array: the caller's generator writes the document's frame around
 * them, so its state stays true. Jackson's pretty printer and character handling were about half of
 * printing JSON (benchmarks/README.md, PrintBenchmark); this writer copies each field name's text,
 * quotes and separator included, worked out once, and ASCII strings from their UTF-8 bytes.
 *
 * <p>The text it reproduces: an object's entries each on a line indented two spaces per open
 * object, a space, colon and space between name and value, a comma ending all but the last entry,
 * the closing brace on a line of its own ({@code { }} for an empty object); an array's values on
 * its line, after the bracket and a space, a comma and space between them, then a space and the
 * closing bracket; strings escaped as Jackson does by default (a backslash before quotes and
 * backslashes, short escapes for backspace, tab, line feed, form feed and carriage return, a
 * six-character unicode escape with upper-case hex digits for the other control characters,
 * everything else as it is). {@link JsonTextProbe} decides, on a probe document, whether a caller's
 * generator writes exactly this.
 */
final class JsonText extends DocumentText {
  /**
   * Text is handed to the writer in chunks of at least this size: as large as a CLI's buffered
   * writer's buffer, which then passes them on without copying.
   */
  private static final int CHUNK = 1 << 16;

  /** A line break and spaces, copied from for indents. */
  private static final char[] INDENTS = ("\n" + " ".repeat(255)).toCharArray();

  private static final int INDENT = 2;

  /** Field names' texts are kept for nestings up to this (resources nest about 30 deep). */
  private static final int KEYS_KEPT = 64;

  /** For each ASCII character, what follows its backslash; 0 when it is written as it is. */
  private static final char[] ESCAPES = new char[128];

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  private final Writer out;

  /** The text not yet handed to the writer, {@code length} characters of it. */
  private final char[] buffer = new char[CHUNK * 2];

  private int length;

  /** The open containers, innermost at {@code top}: whether each is an object, its entries. */
  private boolean[] objects = new boolean[16];

  private int[] entries = new int[16];

  private int top;

  /** The pretty printer's nesting: how many objects are open (arrays do not indent). */
  private int nesting;

  /** The quoted text of constant values seen (type URLs), by identity. */
  private final Map<SerializableString, char[]> quoted = new IdentityHashMap<>();

  /**
   * A writer of the items of a document's {@code resources} array, which the caller's generator has
   * opened (one object deep) and flushed to {@code out}.
   */
  JsonText(Writer out) {
    this.out = out;
    this.nesting = 1;
  }

  /**
   * Hands the text written to the writer, without flushing it; the array is closed by its owner.
   */
  void finish() throws IOException {
    if (top != 0) {
      throw new IllegalStateException("every container written was closed");
    }
    writeOut();
  }

  // ---- Structure.

  @Override
  public void writeStartObject() throws IOException {
    beforeValue();
    append('{');
    push(true);
    nesting++;
  }

  @Override
  public void writeEndObject() throws IOException {
    int count = pop(true);
    nesting--;
    if (count > 0) {
      indent();
    } else {
      append(' ');
    }
    append('}');
  }

  @Override
  public void writeStartArray() throws IOException {
    beforeValue();
    append('[');
    push(false);
  }

  @Override
  public void writeEndArray() throws IOException {
    pop(false);
    // After values the array indenter's space, for an empty array its empty separator: both " ".
    append(' ');
    append(']');
  }

  private void push(boolean object) {
    if (++top == objects.length) {
      objects = Arrays.copyOf(objects, top * 2);
      entries = Arrays.copyOf(entries, top * 2);
    }
    objects[top] = object;
    entries[top] = 0;
  }

  /** Closes the innermost container, which must be of the kind given, and gives its entries. */
  private int pop(boolean object) {
    if (top == 0 || objects[top] != object) {
      throw new IllegalStateException("containers end in the order they started");
    }
    return entries[top--];
  }

  /** Before a value: in an array its separator (a name already wrote its own). */
  private void beforeValue() throws IOException {
    if (!objects[top]) {
      if (entries[top]++ > 0) {
        append(',');
      }
      append(' ');
    }
  }

  private void beginName() throws IOException {
    if (!objects[top]) {
      throw new IllegalStateException("a field name is written in an object");
    }
    if (entries[top]++ > 0) {
      append(',');
    }
    indent();
  }

  private void indent() throws IOException {
    int count = 1 + nesting * INDENT;
    ensure(count);
    if (count <= INDENTS.length) {
      System.arraycopy(INDENTS, 0, buffer, length, count);
    } else {
      buffer[length] = '\n';
      Arrays.fill(buffer, length + 1, length + count, ' ');
    }
    length += count;
  }

  // ---- Field names.

  @Override
  public void writeFieldName(String name) throws IOException {
    beginName();
    appendQuoted(name);
    appendRaw(" : ");
  }

  /**
   * A field name: its text, from the comma before it to the separator after it, worked out once per
   * FieldName and nesting.
   */
  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    if (!(name instanceof FieldName field) || nesting > KEYS_KEPT) {
      writeFieldName(name.getValue());
      return;
    }
    char[] text = field.jsonKey(nesting);
    if (text == null) {
      int spaces = nesting * INDENT;
      text = (",\n" + " ".repeat(spaces) + quote(name.getValue()) + " : ").toCharArray();
      field.jsonKey(nesting, text);
    }
    if (!objects[top]) {
      throw new IllegalStateException("a field name is written in an object");
    }
    // The first entry has no comma before it.
    int from = entries[top]++ > 0 ? 0 : 1;
    int count = text.length - from;
    if (count > buffer.length) {
      writeOut();
      out.write(text, from, count);
      return;
    }
    ensure(count);
    System.arraycopy(text, from, buffer, length, count);
    length += count;
  }

  @Override
  void writeFieldName(byte[] name, int offset, int count) throws IOException {
    beginName();
    appendQuoted(name, offset, count);
    appendRaw(" : ");
  }

  // ---- Scalars.

  @Override
  public void writeString(String text) throws IOException {
    beforeValue();
    appendQuoted(text);
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    beforeValue();
    append(quoted.computeIfAbsent(text, known -> quote(known.getValue()).toCharArray()));
  }

  @Override
  public void writeString(char[] text, int offset, int count) throws IOException {
    writeString(new String(text, offset, count));
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int count) throws IOException {
    beforeValue();
    appendQuoted(text, offset, count);
  }

  @Override
  public void writeNumber(int value) throws IOException {
    beforeValue();
    ensure(11);
    length = NumberOutput.outputInt(value, buffer, length);
  }

  @Override
  public void writeNumber(long value) throws IOException {
    beforeValue();
    ensure(20);
    length = NumberOutput.outputLong(value, buffer, length);
  }

  @Override
  public void writeNumber(double value) throws IOException {
    if (!Double.isFinite(value)) {
      // Jackson quotes NaN and infinities (QUOTE_NON_NUMERIC_NUMBERS, on by default).
      writeString(Double.toString(value));
      return;
    }
    writeRawValue(Double.toString(value));
  }

  @Override
  public void writeNumber(float value) throws IOException {
    if (!Float.isFinite(value)) {
      writeString(Float.toString(value));
      return;
    }
    writeRawValue(Float.toString(value));
  }

  @Override
  public void writeNumber(BigInteger value) throws IOException {
    writeRawValue(value.toString());
  }

  @Override
  public void writeNumber(BigDecimal value) throws IOException {
    writeRawValue(value.toString());
  }

  @Override
  public void writeNumber(String encodedValue) throws IOException {
    writeRawValue(encodedValue);
  }

  @Override
  public void writeBoolean(boolean value) throws IOException {
    writeRawValue(value ? "true" : "false");
  }

  @Override
  public void writeNull() throws IOException {
    writeRawValue("null");
  }

  @Override
  public void writeRaw(String text) throws IOException {
    appendRaw(text);
  }

  @Override
  public void writeRaw(String text, int offset, int count) throws IOException {
    appendRaw(text.substring(offset, offset + count));
  }

  @Override
  public void writeRaw(char[] text, int offset, int count) throws IOException {
    appendRaw(new String(text, offset, count));
  }

  @Override
  public void writeRaw(char c) throws IOException {
    append(c);
  }

  // ---- Text.

  /** {@code text} quoted and escaped as Jackson writes it. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char escape = c < ESCAPES.length ? ESCAPES[c] : 0;
      if (escape == 0) {
        quoted.append(c);
      } else if (escape == 'u') {
        quoted.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        quoted.append('\\').append(escape);
      }
    }
    return quoted.append('"').toString();
  }

  private void appendQuoted(String text) throws IOException {
    int count = text.length();
    if (count + 2 > buffer.length || needsEscape(text)) {
      appendRaw(quote(text));
      return;
    }
    ensure(count + 2);
    buffer[length++] = '"';
    text.getChars(0, count, buffer, length);
    length += count;
    buffer[length++] = '"';
  }

  private static boolean needsEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ESCAPES.length && ESCAPES[c] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * A string from its UTF-8 bytes, copied as characters when they are all ASCII that needs no
   * escape (checked as they are copied: most of a document's strings are such), else decoded.
   */
  private void appendQuoted(byte[] text, int offset, int count) throws IOException {
    if (count + 2 > buffer.length) {
      appendQuoted(new String(text, offset, count, StandardCharsets.UTF_8));
      return;
    }
    ensure(count + 2);
    int at = length;
    buffer[at++] = '"';
    boolean plain = true;
    for (int i = 0; i < count; i++) {
      byte b = text[offset + i];
      // Bytes of non-ASCII characters are negative.
      plain &= b >= 0x20 && b != '"' && b != '\\';
      buffer[at + i] = (char) b;
    }
    if (!plain) {
      appendQuoted(new String(text, offset, count, StandardCharsets.UTF_8));
      return;
    }
    buffer[at + count] = '"';
    length = at + count + 1;
  }

  private void appendRaw(String text) throws IOException {
    int count = text.length();
    if (count > buffer.length) {
      writeOut();
      out.write(text);
      return;
    }
    ensure(count);
    text.getChars(0, count, buffer, length);
    length += count;
  }

  private void append(char[] text) throws IOException {
    if (text.length > buffer.length) {
      writeOut();
      out.write(text);
      return;
    }
    ensure(text.length);
    System.arraycopy(text, 0, buffer, length, text.length);
    length += text.length;
  }

  private void append(char c) throws IOException {
    ensure(1);
    buffer[length++] = c;
  }

  /**
   * Makes room for {@code count} more characters, handing the text to the writer once a chunk of it
   * is buffered; text longer than the buffer is handed over directly.
   */
  private void ensure(int count) throws IOException {
    if (length >= CHUNK || length + count > buffer.length) {
      writeOut();
      if (count > buffer.length) {
        throw new IllegalStateException("text longer than the buffer is handed over directly");
      }
    }
  }

  private void writeOut() throws IOException {
    out.write(buffer, 0, length);
    length = 0;
  }

  // ---- The rest of JsonGenerator.

  @Override
  public void flush() {}

  @Override
  protected void _releaseBuffers() {}

  @Override
  protected void _verifyValueWrite(String typeMsg) throws IOException {
    beforeValue();
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int count) {
    throw unsupported();
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int count) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("not in a resource document");
  }
}
