package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Match;
import java.util.Objects;

/**
 * One entry of a merged {@code appendMatch}, with the policy it came from.
 *
 * @param match the entry
 * @param policy the core name of the policy that lists it
 * @param index its index in that policy's {@code appendMatch}
 */
public record AttributedMatch(Match match, String policy, int index) {
  /**
   * Checks for null and a negative index.
   *
   * @param match the entry, never null
   * @param policy the core name of the policy that lists it, never null
   * @param index its 0-based index in that policy's {@code appendMatch}
   * @throws NullPointerException when {@code match} or {@code policy} is null
   * @throws IllegalArgumentException when {@code index} is negative
   */
  public AttributedMatch {
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(policy, "policy");
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
  }

  /** Renders {@code policy appendMatch[index] (Domain example.com:443/tls)}. */
  @Override
  public String toString() {
    return policy + " appendMatch[" + index + "] (" + match + ")";
  }
}
