package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.internal.FieldLocations.ListLocations;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
  /** How many distinct values {@link #shared} keeps: types, protocols and ports repeat. */
  private static final int SHARED_LIMIT = 256;

  private final Binding binding = new Binding();
  private final SpecBinder binder = new SpecBinder(binding);
  private final ListLocations locations;
  private final List<WrittenMatch> matches = new ArrayList<>();
  private final Map<Object, Optional<?>> shared = new HashMap<>();

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
      WrittenMatch match = binder.match(map, path, locations, index);
      matches.add(
          new WrittenMatch(
              shared(match.type()),
              match.value(),
              shared(match.port()),
              shared(match.protocol()),
              shared(match.portText())));
    } else {
      binding.problem(
          item.location(),
          path,
          "expected a match (a map of type, value, port and protocol), got "
              + Binding.describe(item));
    }
  }

  /**
   * An equal value seen before in this list, if any: the thousands of entries of a large list then
   * hold one copy of each type, protocol and port instead of one each.
   */
  private <T> Optional<T> shared(Optional<T> value) {
    if (value.isEmpty()) {
      return value;
    }
    @SuppressWarnings("unchecked") // only ever maps a value to an Optional of that same value
    Optional<T> seen = (Optional<T>) shared.get(value.get());
    if (seen != null) {
      return seen;
    }
    if (shared.size() < SHARED_LIMIT) {
      shared.put(value.get(), value);
    }
    return value;
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
