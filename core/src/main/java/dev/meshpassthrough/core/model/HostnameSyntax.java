package dev.meshpassthrough.core.model;

import java.util.Optional;

/**
 * The strict DNS-name rules of meshpassthrough, stricter than Kuma's: letters, digits, {@code -}
 * and {@code _} in labels of 1 to 63 characters that do not start or end with {@code -}, at most
 * 253 characters in all, ASCII only, no trailing dot, not an IP literal.
 *
 * <p>A wildcard is allowed only as the whole leftmost label ({@code *.example.com}); see {@link
 * #problemWithWildcard(String)}.
 */
public final class HostnameSyntax {
  /** The longest name DNS can carry in text form. */
  public static final int MAX_NAME_LENGTH = 253;

  /** The longest DNS label. */
  public static final int MAX_LABEL_LENGTH = 63;

  private HostnameSyntax() {}

  /**
   * What is wrong with {@code name} as an exact (non-wildcard) DNS name, if anything.
   *
   * @param name the name to check, never null
   * @return a one-line description of the first problem found, for messages; empty when the name is
   *     valid
   */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("the name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) > 0x7f) {
        return Optional.of("the name has non-ASCII characters: write it in punycode (xn--...)");
      }
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of(
          "the name is " + name.length() + " characters long, more than " + MAX_NAME_LENGTH);
    }
    if (name.endsWith(".")) {
      return Optional.of("the name ends with a dot: SNI and Host never carry it, so drop the dot");
    }
    if (mayBeIpLiteral(name)
        && (IpLiteral.parse(name).isPresent() || IpLiteral.hasLeadingZeroPart(name))) {
      return Optional.of("the name is an IP address: use type IP");
    }
    int start = 0;
    while (true) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      Optional<String> labelProblem = labelProblem(name, start, end);
      if (labelProblem.isPresent() || dot < 0) {
        return labelProblem;
      }
      start = dot + 1;
    }
  }

  /**
   * Whether {@code name} could be an address literal at all: IPv6 needs a {@code :}, a zone a
   * {@code %}, and IPv4 (with or without leading zeros) is digits and dots only. Most names are
   * none of these and need no address parse.
   */
  private static boolean mayBeIpLiteral(String name) {
    if (name.indexOf(':') >= 0 || name.indexOf('%') >= 0) {
      return true;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * What is wrong with {@code value} as a Domain value, if anything: an exact name, or {@code *.}
   * followed by an exact name.
   *
   * @param value the {@code value} of a Domain entry as written, never null
   * @return a one-line description of the first problem found, for messages; empty when the value
   *     is valid
   */
  public static Optional<String> problemWithWildcard(String value) {
    if (value.equals("*")) {
      return Optional.of(
          "a lone * matches every name: use passthroughMode All, or list the domains");
    }
    if (value.startsWith("*.")) {
      String rest = value.substring(2);
      if (rest.indexOf('*') >= 0) {
        return Optional.of("* is allowed only as the whole leftmost label");
      }
      return problem(rest);
    }
    if (value.indexOf('*') >= 0) {
      return Optional.of("* is allowed only as the whole leftmost label");
    }
    return problem(value);
  }

  /** The problem of the label {@code name[start, end)}; the label text is cut only to report. */
  private static Optional<String> labelProblem(String name, int start, int end) {
    int length = end - start;
    if (length > 0 && length <= MAX_LABEL_LENGTH) {
      boolean ok = name.charAt(start) != '-' && name.charAt(end - 1) != '-';
      for (int i = start; ok && i < end; i++) {
        ok = isLabelCharacter(name.charAt(i));
      }
      if (ok) {
        return Optional.empty();
      }
    }
    return labelProblem(name.substring(start, end));
  }

  private static boolean isLabelCharacter(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static Optional<String> labelProblem(String label) {
    if (label.isEmpty()) {
      return Optional.of("the name has an empty label (two dots in a row, or a leading dot)");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      return Optional.of(
          "the label '"
              + label
              + "' is "
              + label.length()
              + " characters long, more than "
              + MAX_LABEL_LENGTH);
    }
    if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
      return Optional.of("the label '" + label + "' starts or ends with '-'");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!isLabelCharacter(c)) {
        return Optional.of("the label '" + label + "' has the character '" + c + "'");
      }
    }
    return Optional.empty();
  }
}
