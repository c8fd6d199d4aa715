package dev.meshpassthrough.core.parse;

/**
 * Bounds that keep hostile input from exhausting memory or time. Going over one is a {@link
 * ParseProblem} that names the bound and its value (for example {@code input uses more YAML aliases
 * than the limit maxAliases=50}), never an error thrown, an {@code OutOfMemoryError} or a hang.
 *
 * <p>Start from {@link #defaults()} and change what you need: {@code
 * PolicyParser.create(ParseLimits.defaults().withMaxInputBytes(64 * 1024 * 1024))}.
 *
 * @param maxInputBytes the largest input (one file or stream) in bytes; a file is measured before
 *     it is read and a stream is read no further. Also bounds how many values YAML aliases may
 *     expand a document to.
 * @param maxNestingDepth the deepest nesting of maps and lists
 * @param maxAliases the most YAML aliases ({@code *name}) in one input (SnakeYAML's {@code
 *     maxAliasesForCollections})
 * @param maxDocuments the most documents ({@code ---}) in one input
 * @param maxEntries the most elements in one list or map ({@code appendMatch}, {@code labels})
 */
public record ParseLimits(
    int maxInputBytes, int maxNestingDepth, int maxAliases, int maxDocuments, int maxEntries) {
  /**
   * Checks that every limit is positive ({@code maxAliases} may be 0: no aliases at all).
   *
   * @param maxInputBytes the largest input in bytes, at least 1
   * @param maxNestingDepth the deepest nesting of maps and lists, at least 1
   * @param maxAliases the most YAML aliases in one input, 0 or more
   * @param maxDocuments the most documents in one input, at least 1
   * @param maxEntries the most elements in one list or map, at least 1
   * @throws IllegalArgumentException when a limit is below its minimum
   */
  public ParseLimits {
    if (maxInputBytes <= 0
        || maxNestingDepth <= 0
        || maxAliases < 0
        || maxDocuments <= 0
        || maxEntries <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /**
   * The defaults: 16 MiB per input, nesting 64 deep, 50 aliases, 10,000 documents, 100,000 elements
   * per list or map.
   *
   * @return the limits above; every call gives an equal value
   */
  public static ParseLimits defaults() {
    return new ParseLimits(16 * 1024 * 1024, 64, 50, 10_000, 100_000);
  }

  /**
   * These limits with another {@code maxInputBytes}.
   *
   * @param bytes the largest input in bytes, at least 1
   * @return a copy with {@code maxInputBytes} set to {@code bytes}; these limits are unchanged
   * @throws IllegalArgumentException when {@code bytes} is not positive
   */
  public ParseLimits withMaxInputBytes(int bytes) {
    return new ParseLimits(bytes, maxNestingDepth, maxAliases, maxDocuments, maxEntries);
  }

  /**
   * These limits with another {@code maxNestingDepth}.
   *
   * @param depth the deepest nesting of maps and lists, at least 1
   * @return a copy with {@code maxNestingDepth} set to {@code depth}; these limits are unchanged
   * @throws IllegalArgumentException when {@code depth} is not positive
   */
  public ParseLimits withMaxNestingDepth(int depth) {
    return new ParseLimits(maxInputBytes, depth, maxAliases, maxDocuments, maxEntries);
  }

  /**
   * These limits with another {@code maxAliases}.
   *
   * @param aliases the most YAML aliases in one input, 0 (none allowed) or more
   * @return a copy with {@code maxAliases} set to {@code aliases}; these limits are unchanged
   * @throws IllegalArgumentException when {@code aliases} is negative
   */
  public ParseLimits withMaxAliases(int aliases) {
    return new ParseLimits(maxInputBytes, maxNestingDepth, aliases, maxDocuments, maxEntries);
  }

  /**
   * These limits with another {@code maxDocuments}.
   *
   * @param documents the most documents in one input, at least 1
   * @return a copy with {@code maxDocuments} set to {@code documents}; these limits are unchanged
   * @throws IllegalArgumentException when {@code documents} is not positive
   */
  public ParseLimits withMaxDocuments(int documents) {
    return new ParseLimits(maxInputBytes, maxNestingDepth, maxAliases, documents, maxEntries);
  }

  /**
   * These limits with another {@code maxEntries}.
   *
   * @param entries the most elements in one list or map, at least 1
   * @return a copy with {@code maxEntries} set to {@code entries}; these limits are unchanged
   * @throws IllegalArgumentException when {@code entries} is not positive
   */
  public ParseLimits withMaxEntries(int entries) {
    return new ParseLimits(maxInputBytes, maxNestingDepth, maxAliases, maxDocuments, entries);
  }
}
