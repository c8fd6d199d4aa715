package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.internal.FieldLocations.ListLocations;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one {@code appendMatch} list bound one at a time: the written entries, the
 * problems in the order binding found them, and where each entry and field was written.
 *
 * <p>The tree reader binds the entries of a list that stands where a spec's {@code appendMatch}
 * does as it finishes each, so that a large policy's entries are not all held as trees first (see
 * {@link ListNode#bound()}); the spec binder takes the result over when it reaches the list,
 * exactly as if it had bound the entries itself. Public only as a part of {@link ListNode}; not an
 * API. Not thread-safe.
 */
public final class BoundMatches {
  private final Binding binding = new Binding();
  private final SpecBinder binder = new SpecBinder(binding);
  private final ListLocations locations;
  private final List<WrittenMatch> matches = new ArrayList<>();

  /** An empty list whose locations name {@code source}. */
  BoundMatches(String source) {
    this.locations =
        new ListLocations(SpecBinder.APPEND_MATCH, SpecBinder.MATCH_FIELDS.known(), source);
  }

  /** The entries of a list read as a tree, bound. */
  static BoundMatches of(ListNode list) {
    BoundMatches bound = new BoundMatches(list.location().source());
    for (Node item : list.items()) {
      bound.add(item);
    }
    return bound;
  }

  /** Binds the next entry. */
  void add(Node item) {
    int index = locations.item(item.location());
    FieldPath path = SpecBinder.APPEND_MATCH.index(index);
    if (item instanceof MapNode map) {
      matches.add(binder.match(map, path, locations, index));
    } else {
      binding.problem(
          item.location(),
          path,
          "expected a match (a map of type, value, port and protocol), got "
              + Binding.describe(item));
    }
  }

  List<ParseProblem> problems() {
    return binding.problems();
  }

  ListLocations locations() {
    return locations;
  }

  List<WrittenMatch> matches() {
    return matches;
  }
}
