package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Looks up the constant of a closed set by its exact spelling in documents. */
final class WireNames {
  private WireNames() {}

  /**
   * The constant of {@code values} whose wire name is {@code name}; callers keep {@code values} in
   * a constant, as {@code values()} copies its array on every call and this runs for every entry.
   */
  static <E extends Enum<E>> Optional<E> lookup(
      List<E> values, Function<E, String> wireName, String name) {
    for (E value : values) {
      if (wireName.apply(value).equals(name)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
