package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decides every atom of the connection space on both sides: an atom is a class no entry of either
 * conf tells apart, so deciding one connection of it decides all of it.
 */
final class IntentComparison {
  private final ConnectionSpace space;
  private final Side oldSide;
  private final Side newSide;
  private final List<BitSet[]> widened = new ArrayList<>();
  private final List<BitSet[]> narrowed = new ArrayList<>();

  private IntentComparison(ConnectionSpace space, Side oldSide, Side newSide) {
    this.space = space;
    this.oldSide = oldSide;
    this.newSide = newSide;
  }

  /** Compares the two confs atom by atom. */
  static IntentComparison of(PassthroughConf oldConf, PassthroughConf newConf) {
    ConnectionSpace space = ConnectionSpace.of(oldConf, newConf);
    IntentComparison comparison =
        new IntentComparison(space, Side.of(oldConf, space), Side.of(newConf, space));
    comparison.run();
    return comparison;
  }

  ConnectionSpace space() {
    return space;
  }

  /**
   * The atoms the new side allows and the old side denies, as boxes of one traffic node, one port
   * node and address nodes.
   */
  List<BitSet[]> widened() {
    return widened;
  }

  /** The atoms the old side allows and the new side denies, as {@link #widened()} has them. */
  List<BitSet[]> narrowed() {
    return narrowed;
  }

  /** The indexes of the old side's entries that decide no atom alone. */
  List<Integer> oldWithoutEffect() {
    return oldSide.withoutEffect();
  }

  /** The indexes of the new side's entries that decide no atom alone. */
  List<Integer> newWithoutEffect() {
    return newSide.withoutEffect();
  }

  private void run() {
    BitSet trafficAtoms = space.traffic.atoms();
    BitSet portAtoms = space.ports.atoms();
    BitSet addressAtoms = space.addresses.atoms();
    for (int t = trafficAtoms.nextSetBit(0); t >= 0; t = trafficAtoms.nextSetBit(t + 1)) {
      for (int p = portAtoms.nextSetBit(0); p >= 0; p = portAtoms.nextSetBit(p + 1)) {
        BitSet before = oldSide.allowed(t, p, addressAtoms);
        BitSet after = newSide.allowed(t, p, addressAtoms);
        collect(after, before, t, p, widened);
        collect(before, after, t, p, narrowed);
      }
    }
  }

  /** Adds the address atoms {@code yes} allows and {@code no} does not, with traffic and port. */
  private static void collect(BitSet yes, BitSet no, int t, int p, List<BitSet[]> out) {
    BitSet only = (BitSet) yes.clone();
    only.andNot(no);
    if (!only.isEmpty()) {
      BitSet traffic = new BitSet();
      traffic.set(t);
      BitSet port = new BitSet();
      port.set(p);
      out.add(new BitSet[] {traffic, port, only});
    }
  }

  /** One conf: its mode, what each entry covers, and which entries decide some atom alone. */
  private static final class Side {
    private final PassthroughMode mode;
    private final List<ConnectionSpace.Cover> covers;
    private final BitSet needed = new BitSet();

    private Side(PassthroughMode mode, List<ConnectionSpace.Cover> covers) {
      this.mode = mode;
      this.covers = covers;
    }

    static Side of(PassthroughConf conf, ConnectionSpace space) {
      List<ConnectionSpace.Cover> covers = new ArrayList<>();
      for (Match match : conf.matches()) {
        covers.add(space.cover(match));
      }
      return new Side(conf.effectiveMode(), covers);
    }

    /**
     * The address atoms the conf allows for the traffic and port atom, noting each entry that alone
     * covers one of them.
     */
    BitSet allowed(int traffic, int port, BitSet addressAtoms) {
      if (mode != PassthroughMode.MATCHED) {
        return mode == PassthroughMode.ALL ? (BitSet) addressAtoms.clone() : new BitSet();
      }
      List<BitSet> covered = new ArrayList<>();
      List<Integer> entries = new ArrayList<>();
      BitSet once = new BitSet();
      BitSet twice = new BitSet();
      for (int i = 0; i < covers.size(); i++) {
        ConnectionSpace.Cover cover = covers.get(i);
        if (cover.traffic().get(traffic) && cover.ports().get(port)) {
          BitSet addresses = (BitSet) cover.addresses().clone();
          addresses.and(addressAtoms);
          BitSet again = (BitSet) once.clone();
          again.and(addresses);
          twice.or(again);
          once.or(addresses);
          covered.add(addresses);
          entries.add(i);
        }
      }
      BitSet alone = (BitSet) once.clone();
      alone.andNot(twice);
      for (int k = 0; k < entries.size(); k++) {
        if (covered.get(k).intersects(alone)) {
          needed.set(entries.get(k));
        }
      }
      return once;
    }

    List<Integer> withoutEffect() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < covers.size(); i++) {
        if (!needed.get(i)) {
          out.add(i);
        }
      }
      return out;
    }
  }
}
