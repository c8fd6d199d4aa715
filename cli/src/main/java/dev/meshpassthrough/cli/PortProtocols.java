package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Protocol;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Makes the entries of each port acceptable to Kuma under strict validation, still allowing every
 * connection that needed them:
 *
 * <ul>
 *   <li>Kuma 2.x allows only one protocol on a port once one of {@code http}, {@code http2} and
 *       {@code grpc} is on it (its check depends on the order of the entries, and a sorted list
 *       cannot promise an order). When only {@code http2} and {@code grpc} meet, the {@code grpc}
 *       entries become {@code http2}: both are h2c, and an {@code http2} entry forwards gRPC. When
 *       any other mix meets, every connection on the port is allowed by its dialed address with
 *       {@code tcp}, which forwards whatever the client sends.
 *   <li>{@code tcp} and {@code mysql} on one address and port make two filter chains Envoy cannot
 *       tell apart; the {@code mysql} entry stays, as its chain forwards client-first bytes too.
 * </ul>
 *
 * Each change is said in a note.
 */
final class PortProtocols {
  private static final Set<Protocol> H2C = EnumSet.of(Protocol.HTTP2, Protocol.GRPC);

  private PortProtocols() {}

  /** The connections that need one entry: how many, and the addresses they dialed. */
  static final class Need {
    private final Match entry;
    private final Set<InetAddress> dialed = new HashSet<>();
    private long count;

    Need(Match entry) {
      this.entry = entry;
    }

    void add(InetAddress address, long connections) {
      dialed.add(address);
      count += connections;
    }

    Match entry() {
      return entry;
    }

    long count() {
      return count;
    }
  }

  /**
   * The entries to write.
   *
   * @param entries every entry, each once, in no particular order
   * @param notes one sentence per widened port, by port
   */
  record Resolved(List<Match> entries, List<String> notes) {}

  /** Resolves the entries of {@code needs}, port by port. */
  static Resolved resolve(List<Need> needs) {
    Map<Integer, List<Need>> byPort = new TreeMap<>();
    for (Need need : needs) {
      byPort
          .computeIfAbsent(need.entry.port().orElseThrow().value(), p -> new ArrayList<>())
          .add(need);
    }
    Set<Match> entries = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    byPort.forEach((port, onPort) -> entries.addAll(resolvePort(port, onPort, notes)));
    return new Resolved(List.copyOf(entries), notes);
  }

  private static Set<Match> resolvePort(int port, List<Need> needs, List<String> notes) {
    Set<Protocol> seen = EnumSet.noneOf(Protocol.class);
    needs.forEach(n -> seen.add(n.entry.protocol()));
    Set<Match> entries = new LinkedHashSet<>();
    if (seen.equals(H2C)) {
      for (Need need : needs) {
        entries.add(Match.of(need.entry.destination(), port, Protocol.HTTP2));
      }
      notes.add(
          "port "
              + port
              + ": grpc and http2 seen; Kuma allows one of http, http2 and grpc on a port, "
              + "so http2 entries allow both (gRPC is h2c)");
      return entries;
    }
    if (seen.size() > 1 && seen.stream().anyMatch(Protocol::isLayer7)) {
      for (Need need : needs) {
        need.dialed.forEach(
            a -> entries.add(Match.of(PolicySuggester.address(a), port, Protocol.TCP)));
      }
      notes.add(
          "port "
              + port
              + ": "
              + seen.stream().map(Protocol::wireName).collect(Collectors.joining(", "))
              + " seen; Kuma allows no other protocol on a port beside http, http2 or grpc, "
              + "so every connection to it is allowed by its dialed address with tcp");
      return entries;
    }
    Set<Destination> mysql = new HashSet<>();
    needs.stream()
        .filter(n -> n.entry.protocol() == Protocol.MYSQL)
        .forEach(n -> mysql.add(n.entry.destination()));
    List<String> merged = new ArrayList<>();
    for (Need need : needs) {
      if (need.entry.protocol() == Protocol.TCP && mysql.contains(need.entry.destination())) {
        merged.add(need.entry.destination().value());
      } else {
        entries.add(need.entry);
      }
    }
    if (!merged.isEmpty()) {
      merged.sort(null);
      notes.add(
          "port "
              + port
              + ": tcp and mysql seen on "
              + String.join(", ", merged)
              + "; Envoy cannot tell their chains apart, so the mysql entry allows both");
    }
    return entries;
  }
}
