package dev.meshpassthrough.core.model;

import java.util.Optional;
import java.util.function.Function;

/** Looks up the constant of a closed set by its exact spelling in documents. */
final class WireNames {
  private WireNames() {}

  static <E extends Enum<E>> Optional<E> lookup(
      E[] values, Function<E, String> wireName, String name) {
    for (E value : values) {
      if (wireName.apply(value).equals(name)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
