package dev.meshpassthrough.core.parse;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import java.util.Locale;

/**
 * Why some input could not be read as a MeshPassthrough document.
 *
 * @param location file, line and column
 * @param path the field path inside the document (the root when the problem is the text itself)
 * @param message what is wrong, with a suggestion where one helps
 */
public record ParseProblem(SourceLocation location, FieldPath path, String message) {
  /**
   * Renders {@code file:line:column: path: message} on one line: control characters in the path (a
   * key may hold any) are written as Java escapes ({@code \n}, {@code \t}, a backslash, {@code u}
   * and four hex digits).
   */
  @Override
  public String toString() {
    return location + ": " + (path.isRoot() ? "" : oneLine(path.toString()) + ": ") + message;
  }

  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
