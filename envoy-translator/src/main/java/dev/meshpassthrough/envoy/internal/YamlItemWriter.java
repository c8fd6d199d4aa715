package dev.meshpassthrough.envoy.internal;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer given the YAML document {@code resources:} and one item, as Jackson's YAMLGenerator with
 * the CLI's settings writes it, that passes on the item's text as {@link YamlText.ItemText} has it:
 * without the first line ({@code resources:} and its line break; the emitter indents an item of the
 * root mapping's sequence to column 0, as in the whole document) and without the document's final
 * line break (the item's own when it ends on a literal block), which the writer of the next item
 * writes. Checks that the text has that frame.
 */
final class YamlItemWriter extends Writer {
  private static final String FIRST_LINE = "resources:\n";

  private final Writer out;

  /** How many characters of the first line were seen. */
  private int skipped;

  /** The last character seen, held back until another comes, or -1 before any. */
  private int held = -1;

  /** The column after the characters passed on. */
  private int column;

  YamlItemWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(char[] text, int offset, int count) throws IOException {
    int start = offset;
    int end = offset + count;
    while (skipped < FIRST_LINE.length() && start < end) {
      if (text[start++] != FIRST_LINE.charAt(skipped++)) {
        throw new IllegalStateException("a one-item document starts with its resources key");
      }
    }
    if (start == end) {
      return;
    }
    if (held >= 0) {
      out.write(held);
      column = held == '\n' ? 0 : column + 1;
    }
    int last = end - 1;
    out.write(text, start, last - start);
    int lineStart = start;
    for (int i = last - 1; i >= start; i--) {
      if (text[i] == '\n') {
        column = 0;
        lineStart = i + 1;
        break;
      }
    }
    column += last - lineStart;
    held = text[last];
  }

  @Override
  public void write(String text, int offset, int count) throws IOException {
    char[] chars = new char[count];
    text.getChars(offset, offset + count, chars, 0);
    write(chars, 0, count);
  }

  /** The item's text ended with the document: gives the column after it. */
  int finish() {
    if (held != '\n' || skipped < FIRST_LINE.length()) {
      throw new IllegalStateException("a one-item document ends with a line break");
    }
    return column;
  }

  /** Nothing to do: the text goes on to the caller's writer, which its own writer flushes. */
  @Override
  public void flush() {}

  /** Leaves the caller's writer open. */
  @Override
  public void close() {}
}
