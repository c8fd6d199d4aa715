package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Message;

/**
 * What the planners and chain builders of a profile see of a translation's bound on its output
 * ({@code TranslatorOptions.maxOutputBytes}): the chains of the listener being built count against
 * it as they are built, and a planner asks for room before planning what could not fit. Not
 * thread-safe: each translation has its own.
 */
public interface ChainBudget {

  /**
   * A budget without bound, for planning outside a translation (tests, tools).
   *
   * @return a new unbounded budget
   */
  static ChainBudget unbounded() {
    return new OutputBudget(Long.MAX_VALUE);
  }

  /**
   * Counts a chain, or a part of the listener's matcher, of the listener being built.
   *
   * @param <M> the message type
   * @param chain what was built
   * @return {@code chain}
   * @throws dev.meshpassthrough.envoy.TranslationException when the output is over the bound
   */
  <M extends Message> M chain(M chain);

  /**
   * Refuses now when {@code lowerBound} more bytes would be over the bound.
   *
   * @param lowerBound at most the encoded size of what the caller is about to plan and build
   * @param what what needs them, for the message
   * @throws dev.meshpassthrough.envoy.TranslationException when they would be over the bound
   */
  void requireRoomFor(long lowerBound, String what);
}
