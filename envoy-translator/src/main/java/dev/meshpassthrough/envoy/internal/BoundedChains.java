package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationException;

/**
 * The {@link ChainBudget} of an {@link OutputBudget}, whose refusals get the rule id {@link
 * TranslationRules#OUTPUT_TOO_LARGE}.
 */
final class BoundedChains implements ChainBudget {
  private final OutputBudget budget;

  BoundedChains(OutputBudget budget) {
    this.budget = budget;
  }

  @Override
  public <M extends Message> M chain(M chain) {
    try {
      return budget.chain(chain);
    } catch (TranslationException e) {
      throw TranslationRules.outputTooLarge(e);
    }
  }

  @Override
  public void requireRoomFor(long lowerBound, String what) {
    try {
      budget.requireRoomFor(lowerBound, what);
    } catch (TranslationException e) {
      throw TranslationRules.outputTooLarge(e);
    }
  }
}
