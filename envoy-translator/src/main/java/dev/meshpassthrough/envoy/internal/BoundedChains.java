package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Message;

/** The {@link ChainBudget} of an {@link OutputBudget}. */
final class BoundedChains implements ChainBudget {
  private final OutputBudget budget;

  BoundedChains(OutputBudget budget) {
    this.budget = budget;
  }

  @Override
  public <M extends Message> M chain(M chain) {
    return budget.chain(chain);
  }

  @Override
  public void requireRoomFor(long lowerBound, String what) {
    budget.requireRoomFor(lowerBound, what);
  }
}
