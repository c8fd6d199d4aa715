package dev.meshpassthrough.validation.internal;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Protocol;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Port-less address entries of one protocol whose networks together cover a whole address family
 * ({@code 0.0.0.0/0}, or {@code 0.0.0.0/1} with {@code 128.0.0.0/1}): with {@code tcp} that is
 * passthroughMode {@code All} for the family without saying so, with another protocol every
 * destination of that protocol. Kuma takes such policies silently; we warn, once per protocol and
 * family, at the entry that completes the cover. Networks are unions of integer ranges (Guava's
 * {@link RangeSet}), so any split of the family counts, in any order, overlapping or not.
 */
final class CoverageRules {
  static final String ALLOWS_EVERYTHING = "match.allows-everything";
  private static final int LISTED = 4;

  private final ViolationSink sink;

  CoverageRules(ViolationSink sink) {
    this.sink = sink;
  }

  /** Checks the valid entries, given with their index in the list. */
  void check(List<Map.Entry<Integer, Match>> entries) {
    Map<Group, Cover> covers = new LinkedHashMap<>();
    for (Map.Entry<Integer, Match> entry : entries) {
      Match match = entry.getValue();
      if (match.port().isPresent()
          || !(match.destination() instanceof Destination.Ip
              || match.destination() instanceof Destination.Cidr)) {
        continue;
      }
      IpFamily family = match.destination().family().orElseThrow();
      Cover cover = covers.computeIfAbsent(new Group(match.protocol(), family), g -> new Cover());
      if (cover.complete) {
        continue;
      }
      cover.add(entry.getKey(), match, range(match.destination(), family));
      if (cover.ranges.encloses(
          Range.closedOpen(BigInteger.ZERO, BigInteger.ONE.shiftLeft(family.bits())))) {
        cover.complete = true;
        report(entry.getKey(), match.protocol(), family, cover.entries, cover.count);
      }
    }
  }

  private void report(
      int index, Protocol protocol, IpFamily family, List<String> entries, int count) {
    String familyName = family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    String whole = family == IpFamily.IPV4 ? "0.0.0.0/0" : "::/0";
    String who =
        count == 1
            ? "the port-less " + protocol.wireName() + " entry " + entries.get(0) + " covers"
            : "the port-less "
                + protocol.wireName()
                + " entries "
                + listed(entries, count)
                + " together cover";
    String what =
        protocol == Protocol.TCP
            ? "every "
                + familyName
                + " destination on every port is allowed, as passthroughMode All allows it; write passthroughMode: All "
                + "if that is meant, or narrow the entries"
            : "every "
                + protocol.wireName()
                + " connection to any "
                + familyName
                + " destination on every port is allowed; "
                + "narrow the entries unless that is meant";
    sink.warning(
        Paths.match(index).field("value"),
        ALLOWS_EVERYTHING,
        who + " every " + familyName + " address (" + whole + "): " + what);
  }

  private static String listed(List<String> entries, int count) {
    return String.join(", ", entries)
        + (count > entries.size() ? " and " + (count - entries.size()) + " more" : "");
  }

  /** The addresses of an IP or CIDR destination as integers in its family's space. */
  static Range<BigInteger> range(Destination destination, IpFamily family) {
    BigInteger first;
    int prefix;
    if (destination instanceof Destination.Cidr cidr) {
      first = integer(cidr.network(), family);
      prefix = cidr.prefixLength();
    } else {
      IpLiteral literal = ((Destination.Ip) destination).literal();
      first = integer(literal.address(), family);
      prefix = family.bits();
    }
    return Range.closedOpen(first, first.add(BigInteger.ONE.shiftLeft(family.bits() - prefix)));
  }

  /**
   * An address as an integer of its family; Java hands IPv4-mapped IPv6 back as IPv4, so widen it
   * again.
   */
  private static BigInteger integer(InetAddress address, IpFamily family) {
    BigInteger value = InetAddresses.toBigInteger(address);
    if (family == IpFamily.IPV6 && address instanceof Inet4Address) {
      value = value.or(BigInteger.valueOf(0xffffL).shiftLeft(32));
    }
    return value;
  }

  /** A protocol and an address family. */
  private record Group(Protocol protocol, IpFamily family) {}

  /** The networks of one group so far. */
  private static final class Cover {
    final RangeSet<BigInteger> ranges = TreeRangeSet.create();
    final List<String> entries = new ArrayList<>(LISTED);
    int count;
    boolean complete;

    void add(int index, Match match, Range<BigInteger> range) {
      ranges.add(range);
      if (count++ < LISTED) {
        entries.add("appendMatch[" + index + "] (" + match.destination().value() + ")");
      }
    }
  }
}
