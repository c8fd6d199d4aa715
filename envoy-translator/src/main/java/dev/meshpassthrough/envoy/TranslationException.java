package dev.meshpassthrough.envoy;

import java.util.List;

/**
 * The conf of a proxy cannot be translated into configuration Envoy accepts. Each message names the
 * {@code appendMatch} entries (or the port) at fault; their order is deterministic.
 */
public final class TranslationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> messages;

  /**
   * An exception with at least one message; its text joins them with {@code "; "}, as Kuma does.
   *
   * @throws IllegalArgumentException when {@code messages} is empty
   */
  public TranslationException(List<String> messages) {
    super(String.join("; ", requireNonEmpty(messages)));
    this.messages = List.copyOf(messages);
  }

  /** Every reason, at least one. */
  public List<String> messages() {
    return messages;
  }

  private static List<String> requireNonEmpty(List<String> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a translation error needs a message");
    }
    return messages;
  }
}
