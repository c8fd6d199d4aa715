package dev.meshpassthrough.envoy.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sorts resources by name in code point order (byte order in UTF-8), the order of a translation's
 * output, fast for the thousands of names a big policy gives. Comparing two such names is slow:
 * they share a long prefix ({@code meshpassthrough_tls_svc…}) and lie scattered in memory. This
 * reads each name's chars a few at a time instead, most significant first (a radix sort): the names
 * of a group skip the prefix they all share, the next few chars of each are packed into a {@code
 * long} with its position, the group's {@code long}s are sorted as numbers, and names whose chars
 * tie form the groups of the next round. An input already in order is copied without sorting; names
 * with a surrogate, where code point order is not {@code char} order, are compared by code points.
 */
public final class NameOrder {
  /** Every char of the names fits in 8 bits. */
  private static final int LATIN1 = 0;

  /** Some char needs 16 bits; none is a surrogate. */
  private static final int WIDE = 1;

  /** Some name has a surrogate. */
  private static final int SURROGATE = 2;

  /** Groups this small are sorted by comparing names, by insertion. */
  private static final int SMALL = 12;

  /** Rounds past this many sort what is left by comparing names: hostile names cannot recurse. */
  private static final int MAX_DEPTH = 48;

  private NameOrder() {}

  /**
   * {@code items} sorted by their names in code point order; items of equal names keep their order.
   *
   * @param items the items, none null
   * @param nameOf an item's name, never null
   * @return an unmodifiable list
   */
  public static <T> List<T> sorted(
      Collection<? extends T> items, Function<? super T, String> nameOf) {
    @SuppressWarnings("unchecked")
    T[] array = (T[]) items.toArray();
    int n = array.length;
    String[] names = new String[n];
    int widest = LATIN1;
    for (int i = 0; i < n; i++) {
      String name = Objects.requireNonNull(nameOf.apply(array[i]), "name");
      names[i] = name;
      widest = Math.max(widest, charClass(name));
    }
    if (widest != SURROGATE && inOrder(names)) {
      // No surrogate: code point order is String.compareTo's.
      return List.of(array);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (widest == SURROGATE) {
      new Radix(names, order, 0).byComparing(0, n);
    } else {
      new Radix(names, order, widest == LATIN1 ? 8 : 16).sort(0, n, 0, 0);
    }
    List<T> sorted = new ArrayList<>(n);
    for (int i : order) {
      sorted.add(array[i]);
    }
    return Collections.unmodifiableList(sorted);
  }

  /**
   * Compares names in code point order.
   *
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compare(String a, String b) {
    // Code-point order equals UTF-16 order up to the first difference, and at it unless a
    // surrogate is involved: compare chars, and code points only from a surrogate on.
    int common = Math.min(a.length(), b.length());
    int k = 0;
    while (k < common && a.charAt(k) == b.charAt(k)) {
      k++;
    }
    if (k == common) {
      return Integer.compare(a.length(), b.length());
    }
    char ca = a.charAt(k);
    char cb = b.charAt(k);
    if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
      return Character.compare(ca, cb);
    }
    return compareCodePoints(a, b);
  }

  private static int compareCodePoints(String a, String b) {
    // Rare (a surrogate at the first difference): plainly, by the code points.
    return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  /** {@link #LATIN1}, {@link #WIDE} or {@link #SURROGATE}: the widest of {@code name}'s chars. */
  private static int charClass(String name) {
    // The chars or-ed together first, without a test per char: a surrogate (from U+D800) is
    // wider than 8 bits, so only names that are not Latin-1 are looked at again.
    int or = 0;
    for (int i = 0; i < name.length(); i++) {
      or |= name.charAt(i);
    }
    if (or <= 0xFF) {
      return LATIN1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isSurrogate(name.charAt(i))) {
        return SURROGATE;
      }
    }
    return WIDE;
  }

  private static boolean inOrder(String[] names) {
    for (int i = 1; i < names.length; i++) {
      if (names[i - 1].compareTo(names[i]) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * One sort of {@code order}, the positions of {@code names}: a range of it is sorted by the
   * names' chars from an offset on, the names of the range being equal before it (as far as both
   * have chars: a shorter name is a prefix with zeros after it).
   */
  private static final class Radix {
    private final String[] names;
    private final int[] order;
    private final int bits;
    private final long[] keys;

    Radix(String[] names, int[] order, int bits) {
      this.names = names;
      this.order = order;
      this.bits = bits;
      this.keys = new long[order.length];
    }

    /** Sorts {@code order[lo, hi)} by the names' chars from {@code from} on. */
    void sort(int lo, int hi, int from, int depth) {
      if (hi - lo <= SMALL) {
        insertion(lo, hi, from);
        return;
      }
      if (depth > MAX_DEPTH) {
        byComparing(lo, hi);
        return;
      }
      // The chars every name longer than from shares from there on.
      String reference = null;
      int prefix = from;
      for (int i = lo; i < hi; i++) {
        String name = names[order[i]];
        if (name.length() <= from) {
          continue;
        }
        if (reference == null) {
          reference = name;
          prefix = name.length();
          continue;
        }
        int limit = Math.min(prefix, name.length());
        int k = from;
        while (k < limit && reference.charAt(k) == name.charAt(k)) {
          k++;
        }
        prefix = k;
      }
      // Names of at most prefix chars come first: each is a prefix of every longer one (with
      // zeros after it); among themselves, by length. Keys end in the position in the range.
      int[] range = Arrays.copyOfRange(order, lo, hi);
      int idBits = 32 - Integer.numberOfLeadingZeros(hi - lo);
      int charsPerKey = Math.max(1, (63 - idBits) / bits);
      int shortOnes = 0;
      for (int i = 0; i < range.length; i++) {
        int length = names[range[i]].length();
        if (length <= prefix) {
          keys[lo + shortOnes++] = ((long) length << idBits) | i;
        }
      }
      int start = lo + shortOnes;
      int longOnes = start;
      for (int i = 0; i < range.length; i++) {
        String name = names[range[i]];
        if (name.length() > prefix) {
          keys[longOnes++] = (pack(name, prefix, charsPerKey) << idBits) | i;
        }
      }
      place(lo, start, idBits, range);
      place(start, hi, idBits, range);
      // Names whose packed chars tie are sorted by the chars after them.
      for (int i = start; i < hi; ) {
        long chars = keys[i] >>> idBits;
        int j = i + 1;
        while (j < hi && keys[j] >>> idBits == chars) {
          j++;
        }
        if (j - i > 1) {
          sort(i, j, prefix + charsPerKey, depth + 1);
        }
        i = j;
      }
    }

    /**
     * Sorts {@code keys[from, to)} and puts in {@code order[from, to)} the names of {@code range}
     * their low {@code idBits} give: ties keep their order, as the position is the key's last part.
     */
    private void place(int from, int to, int idBits, int[] range) {
      Arrays.sort(keys, from, to);
      long mask = (1L << idBits) - 1;
      for (int i = from; i < to; i++) {
        order[i] = range[(int) (keys[i] & mask)];
      }
    }

    /**
     * The {@code count} chars of {@code name} from {@code from}, each in {@link #bits} bits, the
     * first highest; missing chars count as 0, so a tie may hide a shorter name, which the next
     * round puts first.
     */
    private long pack(String name, int from, int count) {
      long key = 0;
      int end = from + count;
      int length = name.length();
      for (int i = from; i < end; i++) {
        key = (key << bits) | (i < length ? name.charAt(i) : 0);
      }
      return key;
    }

    /**
     * Sorts the few names of {@code order[lo, hi)} by comparing their chars from {@code from} on,
     * where they are known to be equal before: stable, in place.
     */
    private void insertion(int lo, int hi, int from) {
      for (int i = lo + 1; i < hi; i++) {
        int id = order[i];
        String name = names[id];
        int j = i - 1;
        while (j >= lo && compareFrom(names[order[j]], name, from) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = id;
      }
    }

    /**
     * Compares names equal before {@code from} (a shorter one with zeros after it) and without a
     * surrogate: by their chars from there, a prefix first.
     */
    private static int compareFrom(String a, String b, int from) {
      int common = Math.min(a.length(), b.length());
      int k = from;
      while (k < common && a.charAt(k) == b.charAt(k)) {
        k++;
      }
      return k >= common
          ? Integer.compare(a.length(), b.length())
          : Character.compare(a.charAt(k), b.charAt(k));
    }

    /** Sorts {@code order[lo, hi)} by comparing the names: stable. */
    void byComparing(int lo, int hi) {
      Integer[] range = new Integer[hi - lo];
      for (int i = lo; i < hi; i++) {
        range[i - lo] = order[i];
      }
      Arrays.sort(range, (a, b) -> compare(names[a], names[b]));
      for (int i = lo; i < hi; i++) {
        order[i] = range[i - lo];
      }
    }
  }
}
