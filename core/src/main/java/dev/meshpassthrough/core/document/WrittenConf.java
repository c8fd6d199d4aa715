package dev.meshpassthrough.core.document;

import java.util.List;
import java.util.Optional;

/**
 * {@code spec.default} as written; {@code null} values read as absent.
 *
 * @param passthroughMode the mode text, if present
 * @param appendMatch the entries, if the field was present
 */
public record WrittenConf(
    Optional<String> passthroughMode, Optional<List<WrittenMatch>> appendMatch) {
  /**
   * Copies the list.
   *
   * @param passthroughMode the mode text, or empty
   * @param appendMatch the entries in written order, or empty when the field was absent; the list
   *     is copied and must not contain nulls
   */
  public WrittenConf {
    appendMatch = appendMatch.map(List::copyOf);
  }
}
