package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.Match;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@code appendMatch} entry whose removal would not change its side's intent: other entries
 * cover everything it covers (it is shadowed), it covers nothing a connection can be, or the mode
 * ({@code All}, {@code None}) ignores entries.
 *
 * @param side the conf it belongs to
 * @param index its index in that conf's {@code appendMatch}
 * @param match the entry
 */
public record NoEffectEntry(Side side, int index, Match match) {

  /**
   * Checks for null and a negative index.
   *
   * @param side the conf, not null
   * @param index the index, 0 or more
   * @param match the entry, not null
   * @throws NullPointerException when {@code side} or {@code match} is null
   * @throws IllegalArgumentException when the index is negative
   */
  public NoEffectEntry {
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(match, "match");
    if (index < 0) {
      throw new IllegalArgumentException("negative index " + index);
    }
  }

  /** For example {@code new appendMatch[2] Domain api.example.com:443/tls}. */
  @Override
  public String toString() {
    return side.name().toLowerCase(Locale.ROOT) + " appendMatch[" + index + "] " + match;
  }

  /** The two confs compared. */
  public enum Side {
    /** The conf before the change. */
    OLD,
    /** The conf after the change. */
    NEW
  }
}
