package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A field name {@link ProtoJsonStream} writes (a field's JSON name, {@code @type}, {@code value}),
 * with the YAML text of it as a mapping key, which {@link YamlText} works out the first time it
 * writes the name and then copies (and its JSON text, for {@link JsonText}): looking the text up
 * per key written cost a noticeable share of printing YAML (benchmarks/README.md, PrintBenchmark).
 */
final class FieldName extends SerializedString {
  private static final long serialVersionUID = 1L;

  /**
   * The key's text, quotes and colon included, once worked out: a function of the name alone, so
   * racing threads store equal texts; a volatile field publishes the array's contents with it.
   */
  private transient volatile byte @Nullable [] yamlKey;

  /**
   * The key's line, by indent: a line break, the indent's spaces and the key's text. Replaced,
   * never changed, when an indent is added.
   */
  private transient volatile byte @Nullable [] @Nullable [] yamlLines;

  /** Lines are kept for indents up to this (resources nest about 30 deep, 2 columns each). */
  private static final int INDENTS_KEPT = 128;

  /**
   * The same for {@link JsonText}, by nesting: a comma, the line break and indent, the quoted name
   * and the separator after it. Replaced, never changed, when a nesting is added.
   */
  private transient volatile char @Nullable [] @Nullable [] jsonKeys;

  FieldName(String name) {
    super(name);
  }

  /** The key's text (ASCII, a byte each), or null until YamlText has written the name once. */
  byte @Nullable [] yamlKey() {
    return yamlKey;
  }

  void yamlKey(byte[] text) {
    yamlKey = text;
  }

  /**
   * The key's line at {@code indent}, once its text is known: a line break, {@code indent} spaces
   * and the text; null before, or past {@link #INDENTS_KEPT}.
   */
  byte @Nullable [] yamlLine(int indent) {
    byte[][] lines = yamlLines;
    byte[] line = lines != null && indent < lines.length ? lines[indent] : null;
    if (line != null) {
      return line;
    }
    byte[] key = yamlKey;
    if (key == null || indent > INDENTS_KEPT) {
      return null;
    }
    line = new byte[1 + indent + key.length];
    line[0] = '\n';
    Arrays.fill(line, 1, 1 + indent, (byte) ' ');
    System.arraycopy(key, 0, line, 1 + indent, key.length);
    byte[][] more =
        lines == null
            ? new byte[indent + 1][]
            : Arrays.copyOf(lines, Math.max(lines.length, indent + 1));
    more[indent] = line;
    yamlLines = more;
    return line;
  }

  /** The name's text as a JSON key at {@code nesting}, or null until JsonText has written it. */
  char @Nullable [] jsonKey(int nesting) {
    char[][] keys = jsonKeys;
    return keys != null && nesting < keys.length ? keys[nesting] : null;
  }

  void jsonKey(int nesting, char[] text) {
    char[][] keys = jsonKeys;
    char[][] more =
        keys == null
            ? new char[nesting + 1][]
            : Arrays.copyOf(keys, Math.max(keys.length, nesting + 1));
    more[nesting] = text;
    jsonKeys = more;
  }
}
