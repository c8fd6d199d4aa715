package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

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
    UNSURE
  }

  /** Jackson's {@code YAMLGenerator.PLAIN_NUMBER_P}: strings that would read back as numbers. */
  private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?[0-9]*(\\.[0-9]*)?");

  private static final StringQuotingChecker CHECKER = StringQuotingChecker.Default.instance();

  /** Characters that make a plain scalar impossible when they start it (SnakeYAML's analysis). */
  private static final String LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`";

  /** SnakeYAML writes longer keys as complex keys ({@code ? key}); stay well below its 128. */
  private static final int SIMPLE_KEY_LENGTH = 100;

  private YamlScalars() {}

  /** How a mapping key is written. */
  static Style keyStyle(String key) {
    if (key.isEmpty()
        || key.length() > SIMPLE_KEY_LENGTH
        || !isPrintableAscii(key)
        || key.indexOf(' ') >= 0) {
      return Style.UNSURE;
    }
    return CHECKER.needToQuoteName(key) ? Style.DOUBLE_QUOTED : plainStyle(key);
  }

  /** How a string value is written. */
  static Style valueStyle(String value) {
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
