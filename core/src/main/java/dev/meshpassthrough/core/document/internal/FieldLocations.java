package dev.meshpassthrough.core.document.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where each field of one document was written: an immutable map from field path to location that
 * keeps the entries of a long list (the thousands of {@code appendMatch} entries of a large policy)
 * as packed line and column numbers in arrays, one slot per entry and field, instead of a path, a
 * location and a hash entry per field. {@link dev.meshpassthrough.core.document.PolicyDocument}
 * keeps such a map as it is instead of copying it.
 *
 * <p>A list's paths and locations are made when asked for: {@link #get} of an entry path answers an
 * equal location, and iteration yields every field once (the other fields first, then each list's
 * entries in order). Immutable and thread-safe. Not API.
 */
public final class FieldLocations extends AbstractMap<FieldPath, SourceLocation> {
  private final Map<FieldPath, SourceLocation> singles;
  private final Map<FieldPath, Block> lists;
  private final int size;

  private FieldLocations(Map<FieldPath, SourceLocation> singles, Map<FieldPath, Block> lists) {
    this.singles = singles;
    this.lists = lists;
    int total = singles.size();
    for (Block block : lists.values()) {
      total += block.size();
    }
    this.size = total;
  }

  /**
   * A builder for one document's locations.
   *
   * @return an empty builder, not thread-safe
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public @Nullable SourceLocation get(@Nullable Object key) {
    SourceLocation single = singles.get(key);
    if (single != null || lists.isEmpty() || !(key instanceof FieldPath path) || path.isRoot()) {
      return single;
    }
    FieldPath parent = path.parent();
    Block items = lists.get(parent);
    if (items != null) {
      return items.item(path);
    }
    Block fields = parent.isRoot() ? null : lists.get(parent.parent());
    return fields == null ? null : fields.field(parent, path.lastField());
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Map.Entry<FieldPath, SourceLocation>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<FieldPath, SourceLocation>> iterator() {
        List<Iterator<Map.Entry<FieldPath, SourceLocation>>> parts = new ArrayList<>();
        parts.add(singles.entrySet().iterator());
        for (Block block : lists.values()) {
          parts.add(block.iterator());
        }
        return new Concatenation(parts.iterator());
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** Builds a {@link FieldLocations}: fields one at a time, long lists as a whole. */
  public static final class Builder {
    private final Map<FieldPath, SourceLocation> singles = new HashMap<>();
    private final Map<FieldPath, Block> lists = new LinkedHashMap<>();
    private boolean built;

    private Builder() {}

    /**
     * Records where {@code path} was written, replacing what was recorded for it.
     *
     * @param path the field
     * @param at where it was written
     * @return this builder
     * @throws IllegalStateException if {@code path} is an entry of a list added with {@link
     *     #putList}, or one of its fields
     */
    public Builder put(FieldPath path, SourceLocation at) {
      checkOpen();
      if (!lists.isEmpty() && !path.isRoot()) {
        FieldPath parent = path.parent();
        Block owner = lists.containsKey(parent) ? lists.get(parent) : lists.get(parent.parent());
        if (owner != null
            && (owner.path.equals(parent) || owner.names.contains(path.lastField()))) {
          throw new IllegalStateException(path + " belongs to the list " + owner.path);
        }
      }
      singles.put(path, at);
      return this;
    }

    /**
     * Adds the locations of a list's entries, which can no longer change.
     *
     * @param list the entries' locations
     * @return this builder
     * @throws IllegalStateException if a list was already added at the same path
     */
    public Builder putList(ListLocations list) {
      checkOpen();
      Block block = list.freeze();
      if (lists.putIfAbsent(block.path, block) != null) {
        throw new IllegalStateException("two lists at " + block.path);
      }
      return this;
    }

    /**
     * The locations recorded; the builder is not to be used afterwards.
     *
     * @return the immutable map
     */
    public FieldLocations build() {
      built = true;
      // Wrapped, not copied: the builder is done, and a copy made by Map.copyOf would iterate in an
      // order that changes from one run to the next.
      return new FieldLocations(
          Collections.unmodifiableMap(singles), Collections.unmodifiableMap(lists));
    }

    private void checkOpen() {
      if (built) {
        throw new IllegalStateException("the locations are built");
      }
    }
  }

  /**
   * The locations of the entries of one list of maps and of their fields of a fixed set of names,
   * recorded as the entries are read. Not thread-safe; frozen once added to a {@link Builder}.
   */
  public static final class ListLocations {
    private static final long ABSENT = -1;

    private final FieldPath path;
    private final List<String> names;
    private final String source;
    private long[] items = new long[8];
    private long[] fields;
    private int count;
    private int fieldCount;
    private boolean frozen;

    /**
     * An empty list.
     *
     * @param path the list's path; its entries are {@code path[i]}
     * @param names the field names of an entry whose locations are kept ({@code path[i].name})
     * @param source the source of every location recorded
     */
    public ListLocations(FieldPath path, List<String> names, String source) {
      this.path = path;
      this.names = List.copyOf(names);
      this.source = source;
      this.fields = new long[items.length * this.names.size()];
      Arrays.fill(fields, ABSENT);
    }

    /**
     * Records the next entry of the list.
     *
     * @param at where the entry starts; its source must be this list's
     * @return the entry's index
     */
    public int item(SourceLocation at) {
      checkOpen(at);
      if (count == items.length) {
        int length = items.length * 2;
        items = Arrays.copyOf(items, length);
        int oldFields = fields.length;
        fields = Arrays.copyOf(fields, length * names.size());
        Arrays.fill(fields, oldFields, fields.length, ABSENT);
      }
      items[count] = pack(at);
      return count++;
    }

    /**
     * Records where a field of an entry was written.
     *
     * @param item the entry's index, from {@link #item}
     * @param name the index of the field's name among this list's names
     * @param at where the field was written
     */
    public void field(int item, int name, SourceLocation at) {
      checkOpen(at);
      if (item < 0 || item >= count) {
        throw new IndexOutOfBoundsException(item);
      }
      int slot = item * names.size() + name;
      if (fields[slot] == ABSENT) {
        fieldCount++;
      }
      fields[slot] = pack(at);
    }

    private void checkOpen(SourceLocation at) {
      if (frozen) {
        throw new IllegalStateException("the locations of " + path + " are complete");
      }
      if (!at.source().equals(source)) {
        throw new IllegalStateException("a location of another source in " + path);
      }
    }

    private Block freeze() {
      frozen = true;
      return new Block(path, names, source, items, fields, count, fieldCount);
    }

    private static long pack(SourceLocation at) {
      return ((long) at.line() << 32) | at.column();
    }
  }

  /** A frozen {@link ListLocations}. */
  private static final class Block {
    final FieldPath path;
    final List<String> names;
    final String source;
    final long[] items;
    final long[] fields;
    final int count;
    final int fieldCount;
    // Entry path to index, made at the first look-up by path.
    private volatile @Nullable Map<FieldPath, Integer> index;

    Block(
        FieldPath path,
        List<String> names,
        String source,
        long[] items,
        long[] fields,
        int count,
        int fieldCount) {
      this.path = path;
      this.names = names;
      this.source = source;
      this.items = items;
      this.fields = fields;
      this.count = count;
      this.fieldCount = fieldCount;
    }

    int size() {
      return count + fieldCount;
    }

    @Nullable SourceLocation item(FieldPath item) {
      int i = indexOf(item);
      return i < 0 ? null : location(items[i]);
    }

    @Nullable SourceLocation field(FieldPath item, String name) {
      int n = names.indexOf(name);
      int i = n < 0 ? -1 : indexOf(item);
      if (i < 0) {
        return null;
      }
      long at = fields[i * names.size() + n];
      return at == ListLocations.ABSENT ? null : location(at);
    }

    private int indexOf(FieldPath item) {
      Map<FieldPath, Integer> byPath = index;
      if (byPath == null) {
        Map<FieldPath, Integer> made = new HashMap<>(count * 4 / 3 + 1);
        for (int i = 0; i < count; i++) {
          made.put(path.index(i), i);
        }
        byPath = made;
        index = made;
      }
      return byPath.getOrDefault(item, -1);
    }

    private SourceLocation location(long at) {
      return new SourceLocation(source, (int) (at >>> 32), (int) at);
    }

    Iterator<Map.Entry<FieldPath, SourceLocation>> iterator() {
      return new Iterator<>() {
        private int item;
        private int name = -1; // -1: the entry itself, then its fields

        @Override
        public boolean hasNext() {
          skipAbsent();
          return item < count;
        }

        @Override
        public Map.Entry<FieldPath, SourceLocation> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Map.Entry<FieldPath, SourceLocation> entry =
              name < 0
                  ? Map.entry(path.index(item), location(items[item]))
                  : Map.entry(
                      path.index(item).field(names.get(name)),
                      location(fields[item * names.size() + name]));
          advance();
          return entry;
        }

        private void skipAbsent() {
          while (item < count
              && name >= 0
              && fields[item * names.size() + name] == ListLocations.ABSENT) {
            advance();
          }
        }

        private void advance() {
          name++;
          if (name == names.size()) {
            name = -1;
            item++;
          }
        }
      };
    }
  }

  /** The entries of several iterators, one after the other. */
  private static final class Concatenation
      implements Iterator<Map.Entry<FieldPath, SourceLocation>> {
    private final Iterator<Iterator<Map.Entry<FieldPath, SourceLocation>>> parts;
    private Iterator<Map.Entry<FieldPath, SourceLocation>> current = Collections.emptyIterator();

    Concatenation(Iterator<Iterator<Map.Entry<FieldPath, SourceLocation>>> parts) {
      this.parts = parts;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && parts.hasNext()) {
        current = parts.next();
      }
      return current.hasNext();
    }

    @Override
    public Map.Entry<FieldPath, SourceLocation> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
