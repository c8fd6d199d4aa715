package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;

/** The field paths the rules report at, rooted at {@code spec} as Kuma's are. */
final class Paths {
  static final FieldPath SPEC = FieldPath.of("spec");
  static final FieldPath TARGET_REF = SPEC.field("targetRef");
  static final FieldPath DEFAULT = SPEC.field("default");
  static final FieldPath MODE = DEFAULT.field("passthroughMode");
  static final FieldPath APPEND_MATCH = DEFAULT.field("appendMatch");

  private Paths() {}

  static FieldPath match(int index) {
    return APPEND_MATCH.index(index);
  }
}
