package dev.meshpassthrough.core.parse;

/**
 * Bounds that keep hostile input from exhausting memory or time. Going over one is a {@link
 * ParseProblem}, never an error thrown.
 *
 * @param maxInputBytes the largest input (one file or stream) in bytes
 * @param maxNestingDepth the deepest nesting of maps and lists
 * @param maxAliases the most YAML aliases in one input
 * @param maxDocuments the most documents in one input
 * @param maxEntries the most elements in one list or map
 */
public record ParseLimits(int maxInputBytes, int maxNestingDepth, int maxAliases, int maxDocuments, int maxEntries) {
  /** Checks that every limit is positive. */
  public ParseLimits {
    if (maxInputBytes <= 0 || maxNestingDepth <= 0 || maxAliases < 0 || maxDocuments <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /**
   * The defaults: 16 MiB per input, nesting 64 deep, 50 aliases, 10,000 documents, 100,000
   * elements per list or map.
   */
  public static ParseLimits defaults() {
    return new ParseLimits(16 * 1024 * 1024, 64, 50, 10_000, 100_000);
  }
}
