package dev.meshpassthrough.cli;

/** Checks and quoting of logged text, shared by the formats of {@code replay}. */
final class ReplayText {
  /** How much of a bad value a message quotes. */
  private static final int QUOTED = 80;

  private ReplayText() {}

  /** Whether {@code name} (an SNI or Host, possibly empty) holds printable ASCII only, no space. */
  static boolean isName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code text} for a message: control and non-ASCII characters as {@code \\uXXXX}, cut after
   * {@value #QUOTED} characters, so that binary input cannot garble a terminal.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(text.length(), QUOTED);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < ' ' || c > '~') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > QUOTED) {
      out.append("...");
    }
    return out.toString();
  }
}
