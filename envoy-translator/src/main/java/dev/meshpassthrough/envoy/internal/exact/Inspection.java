package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which ports of a passthrough listener need the TLS and HTTP inspectors, because some entry there
 * decides by SNI or ALPN. Both encodings plan the same inspection; the listener filters and the
 * hand-off read it.
 *
 * @param namedPorts the named ports whose entries, port-less ones included, need inspection
 * @param reach whether port-less entries need inspection, and so every port does
 */
record Inspection(SortedSet<Integer> namedPorts, Reach reach) {

  /** Whether the inspectors run on every port or on the named ports only. */
  enum Reach {
    EVERY_PORT,
    NAMED_PORTS
  }

  /** Copies the set. */
  Inspection {
    namedPorts = Collections.unmodifiableSortedSet(new TreeSet<>(namedPorts));
  }

  /**
   * The inspection the entries of one listener need. The ports are gathered in a bit set, as
   * thousands of entries name a few ports: each port is boxed and sorted once, not once per entry.
   */
  static Inspection of(List<ExactLeaf.Entry> entries) {
    BitSet named = new BitSet();
    boolean portless = false;
    for (ExactLeaf.Entry entry : entries) {
      if (needsInspection(entry)) {
        Optional<Port> port = entry.match().port();
        if (port.isPresent()) {
          named.set(port.get().value());
        } else {
          portless = true;
        }
      }
    }
    if (portless) {
      // Port-less entries are in every named port's table, so every named port needs inspection
      // too.
      for (ExactLeaf.Entry entry : entries) {
        Optional<Port> port = entry.match().port();
        if (port.isPresent()) {
          named.set(port.get().value());
        }
      }
    }
    SortedSet<Integer> ports = new TreeSet<>();
    named.stream().forEach(ports::add);
    return new Inspection(ports, portless ? Reach.EVERY_PORT : Reach.NAMED_PORTS);
  }

  /**
   * Whether the inspectors run on the connections of a port node: a named port, or (empty) the
   * ports no entry names, which only port-less entries can make inspected.
   */
  boolean covers(Optional<Port> port) {
    return port.map(p -> covers(p.value())).orElse(reach == Reach.EVERY_PORT);
  }

  /** Whether the inspectors must run on {@code port}. */
  boolean covers(int port) {
    return reach == Reach.EVERY_PORT || namedPorts.contains(port);
  }

  private static boolean needsInspection(ExactLeaf.Entry entry) {
    Protocol protocol = entry.match().protocol();
    return protocol == Protocol.TLS || protocol.isLayer7();
  }
}
