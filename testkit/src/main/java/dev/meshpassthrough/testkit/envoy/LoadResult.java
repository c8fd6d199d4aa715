package dev.meshpassthrough.testkit.envoy;

import java.util.List;

/**
 * Whether a real Envoy accepted a configuration handed to it by {@link RealEnvoy#load}.
 *
 * @param accepted true when Envoy took every listener and cluster (an ACK); false when it rejected
 *     any (a NACK: Envoy keeps what it had, or a part of the update)
 * @param rejections Envoy's own rejection messages, in the order it logged them; empty when
 *     accepted
 */
public record LoadResult(boolean accepted, List<String> rejections) {
  /**
   * Copies the list.
   *
   * @param accepted true when Envoy took every listener and cluster (an ACK), false for a NACK
   * @param rejections Envoy's own rejection messages, in the order it logged them, empty when
   *     accepted; copied; not null, nor any element
   * @throws NullPointerException when {@code rejections} or a message is null
   */
  public LoadResult {
    rejections = List.copyOf(rejections);
  }

  /**
   * An ACK.
   *
   * @return an accepted result without rejections, never null
   */
  public static LoadResult ack() {
    return new LoadResult(true, List.of());
  }

  /**
   * A NACK with Envoy's messages.
   *
   * @param rejections Envoy's rejection messages, in the order it logged them; not null, nor any
   *     element
   * @return a rejected result carrying a copy of the messages, never null
   */
  public static LoadResult nack(List<String> rejections) {
    return new LoadResult(false, rejections);
  }

  /** For example {@code accepted} or {@code rejected: error adding listener ...}. */
  @Override
  public String toString() {
    return accepted ? "accepted" : "rejected: " + String.join("; ", rejections);
  }
}
