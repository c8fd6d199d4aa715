package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/**
 * The {@code spec.default} of a policy, or the merged conf of several: fields a document left out
 * stay empty, because "absent" and "empty" merge differently.
 *
 * @param passthroughMode the mode, if set
 * @param appendMatch the entries in document (or precedence) order, if the field was set
 */
public record PassthroughConf(
    Optional<PassthroughMode> passthroughMode, Optional<List<Match>> appendMatch) {
  private static final PassthroughConf EMPTY =
      new PassthroughConf(Optional.empty(), Optional.empty());

  /**
   * Copies the list.
   *
   * @param passthroughMode the mode, or empty when unset
   * @param appendMatch the entries, or empty when the field was absent; the list is copied and must
   *     not contain nulls
   */
  public PassthroughConf {
    appendMatch = appendMatch.map(List::copyOf);
  }

  /**
   * A conf that sets nothing: {@code default: {}}.
   *
   * @return the shared conf with both fields empty
   */
  public static PassthroughConf empty() {
    return EMPTY;
  }

  /**
   * A conf with a mode and matches.
   *
   * @param mode the mode, never null
   * @param matches the entries in order, never null; copied, so later changes do not show
   * @return a conf with both fields set
   */
  public static PassthroughConf of(PassthroughMode mode, List<Match> matches) {
    return new PassthroughConf(Optional.of(mode), Optional.of(matches));
  }

  /**
   * The mode after Kuma's only default: {@link PassthroughMode#MATCHED} when unset.
   *
   * @return the mode set, or {@link PassthroughMode#MATCHED}
   */
  public PassthroughMode effectiveMode() {
    return passthroughMode.orElse(PassthroughMode.MATCHED);
  }

  /**
   * The entries, or an empty list when the field was absent.
   *
   * @return an unmodifiable list in document (or precedence) order
   */
  public List<Match> matches() {
    return appendMatch.orElse(List.of());
  }
}
