package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.SourceLocation;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One value of the located tree that the reader builds before binding: a map, a list or a scalar,
 * each with where it starts. A YAML alias is the anchored node itself, shared, never a copy.
 *
 * <p>Public only for the guardrails reader of the validation module ({@link LocatedTree}); not an
 * API.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {

  /** Where the value starts. */
  SourceLocation location();

  /** How many nodes this value stands for once every alias below it is expanded. */
  long weight();

  /** What a scalar was written as, after YAML 1.1 (or JSON) type resolution. */
  enum ScalarKind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL,
    /** Anything else Jackson can expose, for example {@code !!binary}. */
    OTHER
  }

  /** One key of a map, where the key was written, and its value. */
  record Entry(String key, SourceLocation keyLocation, Node value) {}

  /**
   * A map. {@code entries} holds the first occurrence of every key in written order; later
   * occurrences of a key are kept apart in {@code duplicates} so that binding can report them.
   */
  record MapNode(SourceLocation location, List<Entry> entries, List<Entry> duplicates, long weight)
      implements Node {

    /** The entry for {@code key}, or null; a linear scan, meant for the few keys of a document. */
    public @Nullable Entry get(String key) {
      for (Entry entry : entries) {
        if (entry.key().equals(key)) {
          return entry;
        }
      }
      return null;
    }
  }

  /**
   * A list, items in written order; or, for a list the policy reader bound entry by entry as it
   * read it (a spec's {@code appendMatch}), the bound entries instead of the items.
   */
  record ListNode(
      SourceLocation location, List<Node> items, long weight, Optional<BoundMatches> bound)
      implements Node {

    /** A list of {@code items}. */
    public ListNode(SourceLocation location, List<Node> items, long weight) {
      this(location, items, weight, Optional.empty());
    }

    /**
     * The items in written order.
     *
     * @throws IllegalStateException for a list whose entries were bound as they were read
     */
    @Override
    public List<Node> items() {
      if (bound.isPresent()) {
        throw new IllegalStateException("the entries of this list were bound as they were read");
      }
      return items;
    }
  }

  /**
   * A scalar with its text as written ({@code 0x1F}, {@code yes}, {@code 1_000}) and, for integers,
   * the value.
   */
  record ScalarNode(
      SourceLocation location, ScalarKind kind, String text, @Nullable BigInteger integer)
      implements Node {
    @Override
    public long weight() {
      return 1;
    }

    public boolean isNull() {
      return kind == ScalarKind.NULL;
    }
  }
}
