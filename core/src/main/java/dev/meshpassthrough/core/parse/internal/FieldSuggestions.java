package dev.meshpassthrough.core.parse.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the allowed field a misspelt one most likely meant: the smallest edit distance (insertions,
 * deletions, substitutions and swaps of neighbours, ignoring case), if it is small for the length
 * of the name, so that {@code appendMatches} suggests {@code appendMatch} and {@code
 * passthroughmode} suggests {@code passthroughMode}, but {@code foo} suggests nothing.
 */
public final class FieldSuggestions {
  private FieldSuggestions() {}

  /**
   * The closest allowed name within reach, first in {@code allowed} order on ties.
   *
   * @param written the name as written
   * @param allowed the allowed names
   * @return the suggestion, or empty when none is near
   */
  public static Optional<String> closest(String written, List<String> allowed) {
    String lower = written.toLowerCase(Locale.ROOT);
    @Nullable String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance <= reach(candidate) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** How many edits still count as a near miss: 1 for short names, up to 3 for long ones. */
  private static int reach(String candidate) {
    return Math.max(1, Math.min(3, candidate.length() / 4));
  }

  /**
   * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
   */
  static int distance(String a, String b) {
    int[] beforePrevious = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          value = Math.min(value, beforePrevious[j - 2] + 1);
        }
        current[j] = value;
      }
      int[] recycled = beforePrevious;
      beforePrevious = previous;
      previous = current;
      current = recycled;
    }
    return previous[b.length()];
  }
}
