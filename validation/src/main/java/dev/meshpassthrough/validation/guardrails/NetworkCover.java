package dev.meshpassthrough.validation.guardrails;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Address entries that reach, together, a network wider than any of them: {@code 10.0.0.0/8} and
 * {@code 11.0.0.0/8} reach {@code 10.0.0.0/7}; {@code 0.0.0.0/1} and {@code 128.0.0.0/1} reach
 * everything. Entries reach together what they reach on one port: a port-less entry counts on every
 * port, entries of different ports do not add up. Networks are unions of integer ranges (Guava's
 * {@link RangeSet}); the widest aligned block inside each connected part is the network reached.
 */
final class NetworkCover {
  private NetworkCover() {}

  /**
   * A block that entries reach only together.
   *
   * @param block the widest aligned block inside their union
   * @param port the port they share, or empty for every port
   * @param entries the entries whose networks overlap the block, in conf order
   */
  record Finding(Block block, Optional<Port> port, List<AttributedMatch> entries) {}

  /**
   * The blocks wider than {@code widest} allows (or the whole family, whatever {@code widest} says)
   * that no single entry reaches alone, in a deterministic order.
   */
  static List<Finding> combined(
      List<AttributedMatch> entries, Optional<Rules.WidestPrefix> widest) {
    List<Located> located = new ArrayList<>();
    Set<Integer> ports = new TreeSet<>();
    for (AttributedMatch entry : entries) {
      Optional<Block> block = Block.of(entry.match().destination());
      if (block.isPresent()) {
        located.add(new Located(entry, block.get()));
        entry.match().port().ifPresent(p -> ports.add(p.value()));
      }
    }
    List<Finding> out = new ArrayList<>();
    Set<List<Object>> seen = new LinkedHashSet<>();
    List<Optional<Integer>> groups = new ArrayList<>();
    groups.add(Optional.empty());
    ports.forEach(p -> groups.add(Optional.of(p)));
    for (Optional<Integer> port : groups) {
      List<Located> members =
          located.stream()
              .filter(
                  l ->
                      l.entry().match().port().isEmpty()
                          || (port.isPresent()
                              && l.entry().match().port().get().value() == port.get()))
              .toList();
      for (IpFamily family : IpFamily.values()) {
        for (Finding finding : widerIn(members, family, port, widest)) {
          // A port-less entry counts on every port: the same finding must not repeat per port.
          if (seen.add(List.of(finding.block(), finding.entries()))) {
            out.add(finding);
          }
        }
      }
    }
    return out;
  }

  private record Located(AttributedMatch entry, Block block) {}

  private static List<Finding> widerIn(
      List<Located> members,
      IpFamily family,
      Optional<Integer> port,
      Optional<Rules.WidestPrefix> widest) {
    RangeSet<BigInteger> union = TreeRangeSet.create();
    for (Located member : members) {
      if (member.block().family() == family) {
        union.add(member.block().range());
      }
    }
    int limit = widest.flatMap(w -> w.of(family)).orElse(1);
    List<Finding> out = new ArrayList<>();
    for (Range<BigInteger> part : union.asRanges()) {
      Block block = widestInside(family, part.lowerEndpoint(), part.upperEndpoint());
      if (block.prefix() >= limit && !block.isEverything()) {
        continue;
      }
      if (members.stream().anyMatch(m -> m.block().encloses(block))) {
        continue; // one entry reaches it alone: the rule on single entries says so
      }
      List<AttributedMatch> contributors =
          members.stream().filter(m -> m.block().overlaps(block)).map(Located::entry).toList();
      out.add(new Finding(block, port.map(Port::of), contributors));
    }
    return out;
  }

  /** The widest aligned block within {@code [low, high)}, which is never empty. */
  private static Block widestInside(IpFamily family, BigInteger low, BigInteger high) {
    for (int prefix = 0; prefix <= family.bits(); prefix++) {
      BigInteger size = BigInteger.ONE.shiftLeft(family.bits() - prefix);
      BigInteger start = low.add(size).subtract(BigInteger.ONE).divide(size).multiply(size);
      if (start.add(size).compareTo(high) <= 0) {
        return new Block(family, start, prefix);
      }
    }
    throw new IllegalStateException("an empty range of addresses: " + low + "-" + high);
  }
}
