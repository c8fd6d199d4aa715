package dev.meshpassthrough.core;

/**
 * Where something stands in its source: a source name (file path, {@code <stdin>} or a name the
 * caller chose), and a 1-based line and column, or 0 for either when unknown.
 *
 * @param source the name of the source, never null
 * @param line the 1-based line, or 0 when unknown
 * @param column the 1-based column, or 0 when unknown
 */
public record SourceLocation(String source, int line, int column) {

  /**
   * Checks the invariants.
   *
   * @param source the name of the source, never null
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @throws IllegalArgumentException if {@code line} or {@code column} is negative
   */
  public SourceLocation {
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must not be negative");
    }
  }

  /**
   * A location naming only its source.
   *
   * @param source the name of the source, for example a file path or {@code <stdin>}; never null
   * @return a location with line and column 0 (unknown)
   */
  public static SourceLocation of(String source) {
    return new SourceLocation(source, 0, 0);
  }

  /** Renders {@code source:line:column}, leaving out what is unknown. */
  @Override
  public String toString() {
    if (line == 0) {
      return source;
    }
    return column == 0 ? source + ":" + line : source + ":" + line + ":" + column;
  }
}
