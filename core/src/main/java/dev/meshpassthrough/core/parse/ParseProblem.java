package dev.meshpassthrough.core.parse;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;

/**
 * Why some input could not be read as a MeshPassthrough document.
 *
 * @param location file, line and column
 * @param path the field path inside the document (the root when the problem is the text itself)
 * @param message what is wrong, with a suggestion where one helps
 */
public record ParseProblem(SourceLocation location, FieldPath path, String message) {
  /** Renders {@code file:line:column: path: message}. */
  @Override
  public String toString() {
    return location + ": " + (path.isRoot() ? "" : path + ": ") + message;
  }
}
