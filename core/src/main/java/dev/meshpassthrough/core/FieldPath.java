package dev.meshpassthrough.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A structured path to a field of a policy document, rendered like {@code
 * spec.default.appendMatch[3].port}.
 *
 * <p>Immutable and thread-safe. Paths compare element by element: field names lexicographically,
 * list indexes numerically, so {@code appendMatch[2]} sorts before {@code appendMatch[10]}.
 */
public final class FieldPath implements Comparable<FieldPath> {
  private static final FieldPath ROOT = new FieldPath(null, null, 0);

  // A path is its parent plus one segment, so extending a path allocates one small object and
  // copies nothing: binding records a path for every field written, and validation one per entry.
  private final @Nullable FieldPath parent;
  private final @Nullable String name; // the last segment when it is a field name
  private final int index; // the last segment when it is a list index (name is null)
  private final int depth;
  // The hash java.util.List gives the segments, kept so that a child's costs one step.
  private final int listHash;
  private final int hash;

  private FieldPath(@Nullable FieldPath parent, @Nullable String name, int index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
    if (parent == null) {
      this.depth = 0;
      this.listHash = 1;
    } else {
      this.depth = parent.depth + 1;
      this.listHash = 31 * parent.listHash + (name != null ? name.hashCode() : index);
    }
    // Sibling paths (appendMatch[0], [1], ...) have consecutive list hashes; spreading them keeps
    // open-addressing tables such as Map.copyOf linear on policies with many entries.
    this.hash = listHash * 0x9E3779B9;
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
    return new FieldPath(this, Objects.requireNonNull(name, "name"), 0);
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
    return new FieldPath(this, null, index);
  }

  /**
   * The path without its last segment; the root stays the root.
   *
   * @return the enclosing path, or this path when it is the root
   */
  public FieldPath parent() {
    return parent == null ? this : parent;
  }

  /**
   * Whether this path is {@code other} or lies below it.
   *
   * @param other the candidate prefix, never null; the root is a prefix of every path
   * @return true when the segments of {@code other} are the first segments of this path
   */
  public boolean startsWith(FieldPath other) {
    FieldPath current = this;
    while (current.depth > other.depth) {
      current = current.parentOrRoot();
    }
    return current.equals(other);
  }

  /**
   * Whether this is the empty path.
   *
   * @return true for the root, which has no segments
   */
  public boolean isRoot() {
    return depth == 0;
  }

  /**
   * The last field name of this path, or an empty string when it ends in an index or is empty.
   *
   * @return the final segment when it is a field name, otherwise {@code ""}; never null
   */
  public String lastField() {
    return name == null ? "" : name;
  }

  /**
   * This path with {@code prefix} in front of it.
   *
   * @param prefix the path to put first, never null; the root leaves the path as it is
   * @return a new path made of the segments of {@code prefix} followed by those of this path
   */
  public FieldPath under(FieldPath prefix) {
    FieldPath path = prefix;
    for (FieldPath segment : fromRoot()) {
      path = segment.name != null ? path.field(segment.name) : path.index(segment.index);
    }
    return path;
  }

  @Override
  public int compareTo(FieldPath other) {
    FieldPath[] mine = fromRoot();
    FieldPath[] theirs = other.fromRoot();
    int common = Math.min(mine.length, theirs.length);
    for (int i = 0; i < common; i++) {
      int c = compareSegment(mine[i], theirs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(mine.length, theirs.length);
  }

  /** Field names lexicographically, indexes numerically, an index before a field name. */
  private static int compareSegment(FieldPath a, FieldPath b) {
    if (a.name == null && b.name == null) {
      return Integer.compare(a.index, b.index);
    }
    if (a.name != null && b.name != null) {
      return a.name.compareTo(b.name);
    }
    return a.name == null ? -1 : 1;
  }

  /** The paths ending in each segment of this one, outermost first; the root is left out. */
  private FieldPath[] fromRoot() {
    FieldPath[] out = new FieldPath[depth];
    FieldPath current = this;
    for (int i = depth - 1; i >= 0; i--) {
      out[i] = current;
      current = current.parentOrRoot();
    }
    return out;
  }

  private FieldPath parentOrRoot() {
    return parent == null ? ROOT : parent;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FieldPath other) || hash != other.hash || depth != other.depth) {
      return false;
    }
    FieldPath a = this;
    FieldPath b = other;
    while (a != b) {
      if (a.index != b.index || !Objects.equals(a.name, b.name)) {
        return false;
      }
      a = a.parentOrRoot();
      b = b.parentOrRoot();
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The rendered path, for example {@code spec.default.appendMatch[3].port}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (FieldPath segment : fromRoot()) {
      if (segment.name == null) {
        out.append('[').append(segment.index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment.name);
      }
    }
    return out.toString();
  }
}
