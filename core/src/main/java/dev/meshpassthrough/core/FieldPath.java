package dev.meshpassthrough.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A structured path to a field of a policy document, rendered like {@code
 * spec.default.appendMatch[3].port}.
 *
 * <p>Immutable and thread-safe. Paths compare element by element: field names lexicographically,
 * list indexes numerically, so {@code appendMatch[2]} sorts before {@code appendMatch[10]}.
 */
public final class FieldPath implements Comparable<FieldPath> {
  private static final FieldPath ROOT = new FieldPath(List.of());

  private final List<Object> segments; // String field names or Integer indexes
  private final int hash;

  private FieldPath(List<Object> segments) {
    this.segments = List.copyOf(segments);
    // Sibling paths (appendMatch[0], [1], ...) have consecutive list hashes; spreading them keeps
    // open-addressing tables such as Map.copyOf linear on policies with many entries.
    this.hash = this.segments.hashCode() * 0x9E3779B9;
  }

  /**
   * The empty path: the document itself.
   *
   * @return the shared root path, which renders as an empty string
   */
  public static FieldPath root() {
    return ROOT;
  }

  /**
   * A path made of dotted field names, for example {@code of("spec", "default")}.
   *
   * @param fields the field names from the outermost inward, none of them null; no names give the
   *     root
   * @return the path {@code fields[0].fields[1]...}
   * @throws NullPointerException if {@code fields} or one of its names is null
   */
  public static FieldPath of(String... fields) {
    FieldPath path = ROOT;
    for (String field : fields) {
      path = path.field(field);
    }
    return path;
  }

  /**
   * This path extended by a field name.
   *
   * @param name the field name to append, never null
   * @return a new path one segment longer; this path is unchanged
   * @throws NullPointerException if {@code name} is null
   */
  public FieldPath field(String name) {
    Objects.requireNonNull(name, "name");
    List<Object> next = new ArrayList<>(segments);
    next.add(name);
    return new FieldPath(next);
  }

  /**
   * This path extended by a list index.
   *
   * @param index the 0-based index to append, rendered as {@code [index]}
   * @return a new path one segment longer; this path is unchanged
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public FieldPath index(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
    List<Object> next = new ArrayList<>(segments);
    next.add(index);
    return new FieldPath(next);
  }

  /**
   * The path without its last segment; the root stays the root.
   *
   * @return the enclosing path, or this path when it is the root
   */
  public FieldPath parent() {
    return segments.isEmpty() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
  }

  /**
   * Whether this path is {@code other} or lies below it.
   *
   * @param other the candidate prefix, never null; the root is a prefix of every path
   * @return true when the segments of {@code other} are the first segments of this path
   */
  public boolean startsWith(FieldPath other) {
    return segments.size() >= other.segments.size()
        && segments.subList(0, other.segments.size()).equals(other.segments);
  }

  /**
   * Whether this is the empty path.
   *
   * @return true for the root, which has no segments
   */
  public boolean isRoot() {
    return segments.isEmpty();
  }

  /**
   * The last field name of this path, or an empty string when it ends in an index or is empty.
   *
   * @return the final segment when it is a field name, otherwise {@code ""}; never null
   */
  public String lastField() {
    if (segments.isEmpty() || !(segments.get(segments.size() - 1) instanceof String)) {
      return "";
    }
    return (String) segments.get(segments.size() - 1);
  }

  /**
   * This path with {@code prefix} in front of it.
   *
   * @param prefix the path to put first, never null; the root leaves the path as it is
   * @return a new path made of the segments of {@code prefix} followed by those of this path
   */
  public FieldPath under(FieldPath prefix) {
    List<Object> next = new ArrayList<>(prefix.segments);
    next.addAll(segments);
    return new FieldPath(next);
  }

  @Override
  public int compareTo(FieldPath other) {
    int common = Math.min(segments.size(), other.segments.size());
    for (int i = 0; i < common; i++) {
      int c = compareSegment(segments.get(i), other.segments.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(segments.size(), other.segments.size());
  }

  private static int compareSegment(Object a, Object b) {
    if (a instanceof Integer ia && b instanceof Integer ib) {
      return Integer.compare(ia, ib);
    }
    if (a instanceof String sa && b instanceof String sb) {
      return sa.compareTo(sb);
    }
    return a instanceof Integer ? -1 : 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath other && segments.equals(other.segments);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The rendered path, for example {@code spec.default.appendMatch[3].port}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }
}
