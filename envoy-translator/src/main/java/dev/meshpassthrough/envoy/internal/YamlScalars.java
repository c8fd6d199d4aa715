package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * How Jackson's YAMLGenerator, with {@code MINIMIZE_QUOTES} and {@code
 * ALWAYS_QUOTE_NUMBERS_AS_STRINGS}, and then SnakeYAML's emitter write a string, for the strings
 * {@link YamlText} is sure of: printable ASCII without spaces, quotes or backslashes (so never
 * escaped, folded or split over lines), and keys short enough to be simple keys. Jackson asks its
 * quoting checker whether to double-quote; a string it leaves plain is written plain when the
 * emitter's analysis allows a plain scalar in block context, which for these strings depends only
 * on the first and last characters, and when it does not, the emitter single-quotes it. Anything
 * else is {@link Style#UNSURE}.
 */
final class YamlScalars {
  /** How a string is written. */
  enum Style {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED,
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
    if (key.isEmpty() || key.length() > SIMPLE_KEY_LENGTH || !isPlainAscii(key)) {
      return Style.UNSURE;
    }
    return CHECKER.needToQuoteName(key) ? Style.DOUBLE_QUOTED : plainStyle(key);
  }

  /** How a string value is written. */
  static Style valueStyle(String value) {
    if (value.isEmpty()) {
      return Style.DOUBLE_QUOTED;
    }
    if (!isPlainAscii(value)) {
      return Style.UNSURE;
    }
    return CHECKER.needToQuoteValue(value) || PLAIN_NUMBER.matcher(value).matches()
        ? Style.DOUBLE_QUOTED
        : plainStyle(value);
  }

  /** Whether every character is printable ASCII other than a space, a quote or a backslash. */
  private static boolean isPlainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * How the emitter writes a scalar Jackson asks to be plain: plain unless its analysis finds an
   * indicator (a leading one, a document marker, a {@code :} at the end), then single-quoted (a
   * quote inside would be doubled: not written here).
   */
  private static Style plainStyle(String text) {
    char first = text.charAt(0);
    char last = text.charAt(text.length() - 1);
    boolean alone = text.length() == 1;
    if (LEADING_INDICATORS.indexOf(first) >= 0
        || (alone && (first == '?' || first == '-' || first == ':'))
        || last == ':'
        || text.startsWith("---")
        || text.startsWith("...")) {
      return text.indexOf('\'') >= 0 ? Style.UNSURE : Style.SINGLE_QUOTED;
    }
    return Style.PLAIN;
  }
}
