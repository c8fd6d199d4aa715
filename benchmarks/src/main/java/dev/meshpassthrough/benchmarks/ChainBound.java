package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact profile's documented bound on the chains of one listener (legacy encoding): the sum
 * over port nodes (each named port and the any-port node) of {@code (IP nodes + 1) x (TLS names +
 * 2)}, where a port node holds its own entries and every port-less one. Computed here from the
 * entries alone, independently of the translator, to show that its output stays within it.
 */
final class ChainBound {
  private ChainBound() {}

  /** The larger of the two listeners' bounds. */
  static long maxPerListener(List<Match> matches) {
    long max = 0;
    for (IpFamily family : IpFamily.values()) {
      max = Math.max(max, perListener(matches, family));
    }
    return max;
  }

  private static long perListener(List<Match> matches, IpFamily family) {
    List<Match> relevant =
        matches.stream()
            .filter(m -> m.destination().family().map(f -> f == family).orElse(true))
            .toList();
    Set<Integer> ports = new TreeSet<>();
    relevant.forEach(m -> m.port().ifPresent(p -> ports.add(p.value())));
    ports.add(0);
    long total = 0;
    for (int port : ports) {
      Set<String> networks = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (Match match : relevant) {
        boolean here =
            port == 0 ? match.port().isEmpty() : match.port().map(Port::value).orElse(port) == port;
        if (!here) {
          continue;
        }
        if (match.destination() instanceof Destination.Ip
            || match.destination() instanceof Destination.Cidr) {
          networks.add(match.destination().value());
        } else if (match.protocol() == Protocol.TLS) {
          names.add(match.destination().value());
        }
      }
      total += (long) (networks.size() + 1) * (names.size() + 2);
    }
    return total;
  }
}
