package dev.meshpassthrough.cli;

import java.util.ArrayList;
import java.util.List;

/** The malformed lines of a replay: how many, and the first {@value #LISTED} with their reason. */
final class MalformedLines {
  /** How many malformed lines the report lists. */
  static final int LISTED = 10;

  private final List<Line> first = new ArrayList<>();
  private long count;

  /**
   * One malformed line.
   *
   * @param number its line number, from 1
   * @param reason why it is not a connection
   */
  record Line(long number, String reason) {}

  void add(long number, String reason) {
    count++;
    if (first.size() < LISTED) {
      first.add(new Line(number, reason));
    }
  }

  long count() {
    return count;
  }

  List<Line> first() {
    return List.copyOf(first);
  }
}
