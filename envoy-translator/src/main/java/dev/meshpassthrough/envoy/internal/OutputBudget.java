package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Message;

/**
 * The bound of {@code TranslatorOptions.maxOutputBytes} for one translation: the protobuf-encoded
 * size of the listeners and clusters it builds. The chain count bounds how many chains a listener
 * gets, not how big they are: a chain carries a virtual host per domain, so 300 entries can need
 * 70,000 chains and a few thousand a million virtual hosts. This counts what is built, and refuses
 * as soon as that is over the bound, so the heap holds at most about three times the bound.
 *
 * <p>Counted: every resource put into the {@link ResourceSet} (exactly, when it is put), and the
 * chains of the listener being built (as each is built, so that building stops early). Planners ask
 * {@link #requireRoomFor} with a lower bound of what they are about to plan, so that a plan that
 * could only be refused later is refused before it fills the heap. Not thread-safe: each
 * translation has its own. Its refusals have the rule id {@link TranslationRules#OUTPUT_TOO_LARGE}.
 */
final class OutputBudget implements ChainBudget {
  private final long max;
  private long built;
  private long building;

  OutputBudget(long max) {
    this.max = max;
  }

  @Override
  public <M extends Message> M chain(M chain) {
    building += chain.getSerializedSize();
    requireWithin(built + building);
    return chain;
  }

  /** Counts a resource put into the proxy's resources; the chains built for it are in it. */
  void resource(Message resource) {
    built += resource.getSerializedSize();
    building = 0;
    requireWithin(built);
  }

  @Override
  public void requireRoomFor(long lowerBound, String what) {
    if (built + building + lowerBound > max) {
      throw refuse(what + " would make the listeners and clusters take " + tooBig());
    }
  }

  private void requireWithin(long bytes) {
    if (bytes > max) {
      throw refuse("the listeners and clusters of this conf would take " + tooBig());
    }
  }

  private static RuntimeException refuse(String message) {
    return TranslationRules.refuse(
        TranslationRules.error(TranslationRules.OUTPUT_TOO_LARGE, message));
  }

  private String tooBig() {
    return "more than "
        + max
        + " bytes in protobuf encoding, the bound of this translator (maxOutputBytes="
        + max
        + "): use fewer entries or give port-less entries ports, or raise maxOutputBytes (and the heap, about 4 bytes per byte)";
  }
}
