package dev.meshpassthrough.core.document;

import java.util.Optional;

/**
 * {@code spec} as written.
 *
 * @param targetRef the top-level targetRef, if present (absent means {@code kind: Mesh})
 * @param conf the {@code default} object, if present
 */
public record WrittenSpec(Optional<WrittenTargetRef> targetRef, Optional<WrittenConf> conf) {}
