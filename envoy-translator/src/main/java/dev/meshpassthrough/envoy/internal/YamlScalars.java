package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How Jackson's YAMLGenerator, with {@code MINIMIZE_QUOTES} and {@code
 * ALWAYS_QUOTE_NUMBERS_AS_STRINGS}, and then SnakeYAML's emitter write a string, for the strings
 * {@link YamlText} is sure of: printable ASCII without double quotes or backslashes (never
 * escaped), keys also without spaces (simple keys, never split), and line breaks only in literal
 * blocks. Jackson writes a string with a line break as a literal block, and otherwise asks its
 * quoting checker whether to double-quote it; a string it leaves plain stays plain when the
 * emitter's analysis allows a plain scalar in block context, and is single-quoted when not.
 * Anything else is {@link Style#UNSURE}.
 */
final class YamlScalars {
  /** How a string is written. */
  enum Style {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED,
    LITERAL,
    UNSURE;

    /** Whether YamlText writes a string of this style. */
    boolean isSure() {
      return this != UNSURE;
    }
  }

  /** Jackson's {@code YAMLGenerator.PLAIN_NUMBER_P}: strings that would read back as numbers. */
  private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?[0-9]*(\\.[0-9]*)?");

  private static final StringQuotingChecker CHECKER = StringQuotingChecker.Default.instance();

  /** Characters that make a plain scalar impossible when they start it (SnakeYAML's analysis). */
  private static final String LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`";

  /** SnakeYAML writes longer keys as complex keys ({@code ? key}); stay well below its 128. */
  static final int SIMPLE_KEY_LENGTH = 100;

  private YamlScalars() {}

  /**
   * Characters of the strings most scalars of a translation are made of (names, addresses, type
   * URLs, numbers): none is a quote, a space, a line break or an indicator anywhere but at the ends
   * ({@code *} first is an alias, {@code :} last a value indicator), so only those ends, a reserved
   * word, a number or a document marker change how a string of them is written.
   */
  private static final boolean[] COMMON = new boolean[256];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      COMMON[c] = true;
      COMMON[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      COMMON[c] = true;
    }
    for (char c : "._/-+:*".toCharArray()) {
      COMMON[c] = true;
    }
  }

  /** The longest of Jackson's reserved words (false, False, FALSE). */
  private static final int LONGEST_RESERVED = 5;

  /** How a mapping key is written. */
  static Style keyStyle(String key) {
    Style common = commonKeyStyle(key);
    return common != null ? common : generalKeyStyle(key);
  }

  /** How a string value is written. */
  static Style valueStyle(String value) {
    Style common = commonValueStyle(value);
    return common != null ? common : generalValueStyle(value);
  }

  /**
   * The style of a key of {@link #COMMON} characters, without asking the quoting checker to scan it
   * or matching patterns, or null for any other key. Equal to {@link #generalKeyStyle} where not
   * null (tested).
   */
  static @Nullable Style commonKeyStyle(String key) {
    int length = key.length();
    if (length == 0 || length > SIMPLE_KEY_LENGTH || !isCommon(key)) {
      return null;
    }
    // Jackson quotes reserved words and names that start like a number.
    boolean quoted =
        (length <= LONGEST_RESERVED && CHECKER.needToQuoteName(key))
            || startsLikeNumber(key.charAt(0));
    return quoted ? Style.DOUBLE_QUOTED : commonPlainStyle(key);
  }

  /**
   * The style of a value of {@link #COMMON} characters, or null for any other value. Equal to
   * {@link #generalValueStyle} where not null (tested).
   */
  static @Nullable Style commonValueStyle(String value) {
    int length = value.length();
    if (length == 0 || !isCommon(value)) {
      return null;
    }
    boolean quoted =
        (length <= LONGEST_RESERVED && CHECKER.needToQuoteValue(value)) || isPlainNumber(value);
    return quoted ? Style.DOUBLE_QUOTED : commonPlainStyle(value);
  }

  /** Whether {@code b} is a byte of a {@link #COMMON} character. */
  static boolean isCommon(byte b) {
    return COMMON[b & 0xff];
  }

  /**
   * Whether the {@code length} bytes of {@code text} from {@code offset} are all {@link
   * #isCommon(byte) common}: eight at a time, as a range of bytes with four ranges taken out
   * (common words are most of a document's bytes; a lookup a byte was 8–15% of printing YAML).
   */
  static boolean isCommon(byte[] text, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      if (!isCommon((long) LONGS.get(text, i))) {
        return false;
      }
    }
    for (; i < end; i++) {
      if (!COMMON[text[i] & 0xff]) {
        return false;
      }
    }
    return true;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;

  private static final long HIGHS = 0x8080808080808080L;

  /**
   * Whether the eight bytes of {@code word} are common: ASCII, from {@code *} to {@code z}, but for
   * {@code ,}, {@code ;} to {@code @}, {@code [} to {@code ^} and {@code `}.
   */
  private static boolean isCommon(long word) {
    if ((word & HIGHS) != 0) {
      return false;
    }
    long in = between(word, '*', 'z');
    long out =
        between(word, ',', ',')
            | between(word, ';', '@')
            | between(word, '[', '^')
            | between(word, '`', '`');
    return (in & ~out) == HIGHS;
  }

  /**
   * The high bit of each byte of {@code word} (all ASCII) that is from {@code low} to {@code high}:
   * adding {@code 0x80 - low} sets a byte's high bit when it is at least {@code low}, adding {@code
   * 0x7f - high} when it is above {@code high}, and neither carries into the next byte.
   */
  private static long between(long word, int low, int high) {
    return (word + ONES * (0x80 - low)) & ~(word + ONES * (0x7f - high)) & HIGHS;
  }

  /**
   * Whether a value whose UTF-8 bytes are all {@link #isCommon(byte) common} is written plain,
   * judged on the bytes (too long to be a reserved word): where true, {@link #generalValueStyle} is
   * plain (tested).
   */
  static boolean isPlainCommonValue(byte[] text, int offset, int length) {
    return length > LONGEST_RESERVED
        && text[offset] != '*'
        && text[offset + length - 1] != ':'
        && !isPlainNumber(text, offset, length)
        && !startsWithMarker(text, offset);
  }

  /**
   * Whether a key whose UTF-8 bytes are all {@link #isCommon(byte) common} is written plain, judged
   * on the bytes: where true, {@link #generalKeyStyle} is plain (tested).
   */
  static boolean isPlainCommonKey(byte[] text, int offset, int length) {
    // Jackson quotes names that start like a number, which a document marker does too.
    return length > LONGEST_RESERVED
        && length <= SIMPLE_KEY_LENGTH
        && !startsLikeNumber((char) text[offset])
        && text[offset] != '*'
        && text[offset + length - 1] != ':';
  }

  /** Jackson's {@code looksLikeYAMLNumber}: a name starting so is quoted. */
  private static boolean startsLikeNumber(char first) {
    return (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.';
  }

  private static boolean isCommon(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= COMMON.length || !COMMON[c]) {
        return false;
      }
    }
    return text.charAt(0) != '*' && text.charAt(length - 1) != ':';
  }

  private static boolean startsWithMarker(byte[] text, int offset) {
    byte first = text[offset];
    return (first == '-' || first == '.') && text[offset + 1] == first && text[offset + 2] == first;
  }

  /**
   * {@link #plainStyle} of a common string: only a lone {@code -} or a document marker is quoted.
   */
  private static Style commonPlainStyle(String text) {
    return text.equals("-") || text.startsWith("---") || text.startsWith("...")
        ? Style.SINGLE_QUOTED
        : Style.PLAIN;
  }

  /** Whether {@link #PLAIN_NUMBER} matches, without a matcher. */
  private static boolean isPlainNumber(String text) {
    int i = 0;
    int length = text.length();
    if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      i++;
    }
    while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i < length && text.charAt(i) == '.') {
      i++;
      while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
    }
    return i == length;
  }

  /** Whether {@link #PLAIN_NUMBER} matches, for bytes. */
  private static boolean isPlainNumber(byte[] text, int offset, int length) {
    int i = offset;
    int end = offset + length;
    if (i < end && (text[i] == '+' || text[i] == '-')) {
      i++;
    }
    while (i < end && text[i] >= '0' && text[i] <= '9') {
      i++;
    }
    if (i < end && text[i] == '.') {
      i++;
      while (i < end && text[i] >= '0' && text[i] <= '9') {
        i++;
      }
    }
    return i == end;
  }

  /** How a mapping key is written, for any key. */
  static Style generalKeyStyle(String key) {
    if (key.isEmpty()
        || key.length() > SIMPLE_KEY_LENGTH
        || !isPrintableAscii(key)
        || key.indexOf(' ') >= 0) {
      return Style.UNSURE;
    }
    return CHECKER.needToQuoteName(key) ? Style.DOUBLE_QUOTED : plainStyle(key);
  }

  /** How a string value is written, for any value. */
  static Style generalValueStyle(String value) {
    if (value.isEmpty()) {
      return Style.DOUBLE_QUOTED;
    }
    if (value.indexOf('\n') >= 0) {
      return literalStyle(value);
    }
    if (!isPrintableAscii(value)) {
      return Style.UNSURE;
    }
    return CHECKER.needToQuoteValue(value) || PLAIN_NUMBER.matcher(value).matches()
        ? Style.DOUBLE_QUOTED
        : plainStyle(value);
  }

  /**
   * Whether every character is printable ASCII (a space included) other than {@code "} or {@code
   * \}.
   */
  private static boolean isPrintableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ' ' || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * A literal block, when the emitter allows one and it needs no indentation or keep hint: no space
   * before or after a line break, none at either end, one line break at the end or none.
   */
  private static Style literalStyle(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      boolean printable = c >= ' ' && c < 0x7f && c != '"' && c != '\\';
      if (!printable && c != '\n') {
        return Style.UNSURE;
      }
    }
    if (text.charAt(0) == ' '
        || text.charAt(0) == '\n'
        || text.charAt(length - 1) == ' '
        || text.contains(" \n")
        || text.contains("\n ")
        || text.endsWith("\n\n")) {
      return Style.UNSURE;
    }
    return Style.LITERAL;
  }

  /**
   * How the emitter writes a scalar Jackson asks to be plain: plain unless its analysis finds a
   * leading or trailing space or an indicator (a leading one, a document marker, a {@code :} before
   * a space or the end, a {@code #} after a space), then single-quoted.
   */
  private static Style plainStyle(String text) {
    int length = text.length();
    char first = text.charAt(0);
    boolean indicator =
        LEADING_INDICATORS.indexOf(first) >= 0
            || ((first == '?' || first == '-') && (length == 1 || text.charAt(1) == ' '))
            || text.startsWith("---")
            || text.startsWith("...")
            || first == ' '
            || text.charAt(length - 1) == ' ';
    for (int i = 0; i < length && !indicator; i++) {
      char c = text.charAt(i);
      boolean followedBySpace = i + 1 == length || text.charAt(i + 1) == ' ';
      indicator = (c == ':' && followedBySpace) || (c == '#' && i > 0 && text.charAt(i - 1) == ' ');
    }
    return indicator ? Style.SINGLE_QUOTED : Style.PLAIN;
  }
}
