package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.model.IpLiteral;

/**
 * Kuma's DNS-name check (govalidator's {@code IsDNSName}): not empty, at most 255 characters
 * without the dots, not an IP literal, labels of letters, digits, {@code _} and {@code -} that do
 * not start with {@code -}, one trailing {@code .} or {@code _} allowed. Kept exactly so that we
 * reject what Kuma rejects with Kuma's message; the stricter rules live in {@code HostnameSyntax}.
 *
 * <p>The label syntax is govalidator's expression {@code
 * ^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$}, checked by hand in
 * one pass ({@link #PATTERN} is that expression, which the tests compare against): a regular
 * expression match was the largest cost of validating a policy of many domains.
 */
final class KumaDnsName {
  /** govalidator's expression, which {@link #hasLabelSyntax} implements. */
  static final String PATTERN =
      "^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$";

  private static final int MAX_LABEL = 63;
  private static final int MAX_LENGTH = 255;

  private KumaDnsName() {}

  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() - dots(name) > MAX_LENGTH) {
      return false;
    }
    return hasLabelSyntax(name) && IpLiteral.parse(name).isEmpty();
  }

  /**
   * Whether {@code name} matches {@link #PATTERN}: labels joined by dots, then at most one {@code
   * .} or {@code _}. A final {@code .} can only be that optional character (a dot inside the name
   * must be followed by a label); a final {@code _} can be a label's last character or that
   * optional character, which lets the last label run to 64 characters when it ends in {@code _}.
   */
  static boolean hasLabelSyntax(String name) {
    int end = name.length();
    boolean trailingDot = end > 0 && name.charAt(end - 1) == '.';
    if (trailingDot) {
      end--;
    }
    int start = 0;
    while (true) {
      int dot = name.indexOf('.', start);
      boolean last = dot < 0 || dot >= end;
      int labelEnd = last ? end : dot;
      int length = labelEnd - start;
      if (length == 0 || !isLabelStart(name.charAt(start))) {
        return false;
      }
      for (int i = start + 1; i < labelEnd; i++) {
        if (!isLabelPart(name.charAt(i))) {
          return false;
        }
      }
      boolean fits =
          length <= MAX_LABEL
              || (last
                  && !trailingDot
                  && length == MAX_LABEL + 1
                  && name.charAt(labelEnd - 1) == '_');
      if (!fits) {
        return false;
      }
      if (last) {
        return true;
      }
      start = dot + 1;
    }
  }

  private static boolean isLabelStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isLabelPart(char c) {
    return isLabelStart(c) || c == '-';
  }

  private static int dots(String name) {
    int dots = 0;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        dots++;
      }
    }
    return dots;
  }
}
