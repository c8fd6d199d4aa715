package dev.meshpassthrough.core.parse.internal;

/**
 * The wording of every limit problem, in one place: each names the {@link
 * dev.meshpassthrough.core.parse.ParseLimits} component and its value, so that a user knows which
 * knob to turn.
 */
final class LimitMessages {
  private LimitMessages() {}

  static String inputBytes(int limit) {
    return "input is larger than the limit maxInputBytes=" + limit + " bytes";
  }

  static String inputBytes(long size, int limit) {
    return "input is " + size + " bytes, larger than the limit maxInputBytes=" + limit + " bytes";
  }

  static String nestingDepth(int limit) {
    return "maps and lists are nested deeper than the limit maxNestingDepth=" + limit;
  }

  static String aliases(int limit) {
    return "input uses more YAML aliases than the limit maxAliases=" + limit;
  }

  static String aliasExpansion(int limit) {
    return "YAML aliases expand this document to more than "
        + limit
        + " values (one value per byte of the limit maxInputBytes="
        + limit
        + ")";
  }

  static String documents(int limit) {
    return "input has more documents than the limit maxDocuments=" + limit;
  }

  static String listEntries(int limit) {
    return "list has more entries than the limit maxEntries=" + limit;
  }

  static String mapEntries(int limit) {
    return "map has more entries than the limit maxEntries=" + limit;
  }
}
