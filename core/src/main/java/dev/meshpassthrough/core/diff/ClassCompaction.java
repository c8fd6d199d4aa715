package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Port;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a set of atoms into few, readable classes covering exactly the same connections: atoms that
 * differ in one dimension only are merged into a box, repeatedly; then each box's dimension is
 * written as patterns minus whole sub-patterns.
 */
final class ClassCompaction {
  private static final int TRAFFIC = 0;
  private static final int PORT = 1;
  private static final int ADDRESS = 2;

  private final ConnectionSpace space;

  ClassCompaction(ConnectionSpace space) {
    this.space = space;
  }

  /**
   * The classes of the atoms of {@code boxes} (traffic, port and address node sets, each box a
   * product), disjoint, in a fixed order.
   */
  List<EgressClass> classes(List<BitSet[]> boxes) {
    List<BitSet[]> merged = boxes;
    int before;
    do {
      before = merged.size();
      for (int d : new int[] {ADDRESS, TRAFFIC, PORT}) {
        merged = mergeAlong(merged, d);
      }
    } while (merged.size() < before);
    List<Keyed> out = new ArrayList<>();
    for (BitSet[] box : merged) {
      for (DimensionTree.Value t : space.traffic.decompose(box[TRAFFIC])) {
        for (DimensionTree.Value p : space.ports.decompose(box[PORT])) {
          for (DimensionTree.Value a : space.addresses.decompose(box[ADDRESS])) {
            out.add(
                new Keyed(
                    List.of(t.node(), p.node(), a.node()),
                    new EgressClass(trafficOf(t), nameOf(t), portOf(p), addressOf(a))));
          }
        }
      }
    }
    out.sort(
        Comparator.comparing(
                (Keyed k) -> k.nodes(),
                (x, y) -> {
                  for (int i = 0; i < x.size(); i++) {
                    int c = Integer.compare(x.get(i), y.get(i));
                    if (c != 0) {
                      return c;
                    }
                  }
                  return 0;
                })
            .thenComparing(k -> k.egressClass().describe()));
    return out.stream().map(Keyed::egressClass).toList();
  }

  /** Boxes equal in every other dimension become one, with the union along {@code d}. */
  private static List<BitSet[]> mergeAlong(List<BitSet[]> boxes, int d) {
    Map<List<BitSet>, BitSet[]> merged = new LinkedHashMap<>();
    for (BitSet[] box : boxes) {
      List<BitSet> key = new ArrayList<>();
      for (int o = 0; o < 3; o++) {
        key.add(o == d ? new BitSet() : box[o]);
      }
      BitSet[] into = merged.get(key);
      if (into == null) {
        merged.put(key, box.clone());
      } else {
        into[d] = (BitSet) into[d].clone();
        into[d].or(box[d]);
      }
    }
    return new ArrayList<>(merged.values());
  }

  private Traffic trafficOf(DimensionTree.Value value) {
    return space.traffic.label(value.node()).traffic();
  }

  private NameSet nameOf(DimensionTree.Value value) {
    ConnectionSpace.TrafficLabel label = space.traffic.label(value.node());
    if (label.traffic() == Traffic.ANY || label.traffic() == Traffic.OTHER) {
      return NameSet.any();
    }
    NameSet.Kind kind = label.kind();
    List<String> except = new ArrayList<>();
    for (int node : value.exceptions()) {
      ConnectionSpace.TrafficLabel excepted = space.traffic.label(node);
      if (excepted.kind() == NameSet.Kind.NONE) {
        kind = NameSet.Kind.NAMED;
      } else {
        except.add(excepted.pattern());
      }
    }
    Optional<String> pattern =
        label.pattern().isEmpty() ? Optional.empty() : Optional.of(label.pattern());
    return new NameSet(kind, pattern, except);
  }

  private PortSet portOf(DimensionTree.Value value) {
    List<Port> except = new ArrayList<>();
    for (int node : value.exceptions()) {
      except.add(space.ports.label(node).orElseThrow());
    }
    return new PortSet(space.ports.label(value.node()), except);
  }

  private AddressSet addressOf(DimensionTree.Value value) {
    ConnectionSpace.AddressLabel label = space.addresses.label(value.node());
    List<IpNetwork> except = new ArrayList<>();
    for (int node : value.exceptions()) {
      except.add(space.addresses.label(node).network().orElseThrow());
    }
    return new AddressSet(label.family(), label.network(), except);
  }

  /** A class with the tree nodes it was written from, for ordering. */
  private record Keyed(List<Integer> nodes, EgressClass egressClass) {}
}
