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
  private final List<int[]> widened = new ArrayList<>();
  private final List<int[]> narrowed = new ArrayList<>();

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

  /** The atoms (traffic, port, address nodes) the new side allows and the old side denies. */
  List<int[]> widened() {
    return widened;
  }

  /** The atoms the old side allows and the new side denies. */
  List<int[]> narrowed() {
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
        List<Integer> oldCandidates = oldSide.candidates(t, p);
        List<Integer> newCandidates = newSide.candidates(t, p);
        for (int a = addressAtoms.nextSetBit(0); a >= 0; a = addressAtoms.nextSetBit(a + 1)) {
          boolean before = oldSide.decide(oldCandidates, a);
          boolean after = newSide.decide(newCandidates, a);
          if (after && !before) {
            widened.add(new int[] {t, p, a});
          } else if (before && !after) {
            narrowed.add(new int[] {t, p, a});
          }
        }
      }
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

    /** The entries that cover the traffic and port atom; only those can cover its addresses. */
    List<Integer> candidates(int traffic, int port) {
      List<Integer> out = new ArrayList<>();
      if (mode == PassthroughMode.MATCHED) {
        for (int i = 0; i < covers.size(); i++) {
          if (covers.get(i).traffic().get(traffic) && covers.get(i).ports().get(port)) {
            out.add(i);
          }
        }
      }
      return out;
    }

    /** Whether the conf allows the atom, noting an entry that alone covers it. */
    boolean decide(List<Integer> candidates, int address) {
      if (mode != PassthroughMode.MATCHED) {
        return mode == PassthroughMode.ALL;
      }
      int covering = -1;
      for (int i : candidates) {
        if (covers.get(i).addresses().get(address)) {
          if (covering >= 0) {
            return true;
          }
          covering = i;
        }
      }
      if (covering >= 0) {
        needed.set(covering);
      }
      return covering >= 0;
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
