package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one filter chain of the exact profile does at its (port, IP node): the leaf of Envoy's
 * filter-chain index below the node, and the entries whose clusters it sends traffic to.
 */
final class ExactLeaf {
  private ExactLeaf() {}

  /** One of the leaves below. */
  sealed interface Leaf permits AnyTraffic, TlsServerName, AnyTls, AnyHttp, Http, Audit {}

  /**
   * The entries a leaf sends traffic for: its entry, or its virtual hosts' entries; none for an
   * audit leaf.
   */
  static List<Entry> entriesOf(Leaf leaf) {
    if (leaf instanceof AnyTraffic any) {
      return List.of(any.entry());
    } else if (leaf instanceof TlsServerName tls) {
      return List.of(tls.entry());
    } else if (leaf instanceof AnyTls tls) {
      return List.of(tls.entry());
    } else if (leaf instanceof AnyHttp http) {
      return List.of(http.entry());
    } else if (leaf instanceof Http http) {
      return http.hosts().stream().map(Host::entry).toList();
    }
    return List.of();
  }

  /**
   * The entries that apply on the listener of {@code family}: those of that family and those of
   * none (domains), with their positions in {@code matches}, in order. Computed once per family and
   * translation, and shared by the planners.
   */
  static List<Entry> relevant(List<Match> matches, IpFamily family) {
    List<Entry> relevant = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      Match match = matches.get(i);
      if (match.destination().family().map(f -> f == family).orElse(true)) {
        relevant.add(Entry.of(i, match));
      }
    }
    return List.copyOf(relevant);
  }

  /**
   * A listener's entries by named port, found in one pass: each named port's own entries, and the
   * port-less ones, which apply on every port. Both keep the order of the list they came from.
   *
   * @param own each named port's own entries, by port
   * @param portless the entries without a port
   * @param order the order of the list they came from
   */
  record ByPort(
      SortedMap<Integer, List<Entry>> own, List<Entry> portless, Comparator<Entry> order) {
    /** The entries of {@code ordered}, a list sorted by {@code order}, by port. */
    static ByPort of(List<Entry> ordered, Comparator<Entry> order) {
      // Grouped in a hash map, sorted by port once: thousands of entries name a few ports, and a
      // tree map compared every entry's port at every level of the tree.
      Map<Integer, List<Entry>> own = new HashMap<>();
      List<Entry> portless = new ArrayList<>();
      for (Entry entry : ordered) {
        Optional<Port> port = entry.match().port();
        if (port.isPresent()) {
          own.computeIfAbsent(port.get().value(), p -> new ArrayList<>()).add(entry);
        } else {
          portless.add(entry);
        }
      }
      return new ByPort(new TreeMap<>(own), portless, order);
    }

    /** Every entry that applies on a named port: its own and the port-less ones, in order. */
    List<Entry> on(int port) {
      List<Entry> some = own.getOrDefault(port, List.of());
      if (portless.isEmpty()) {
        return some;
      }
      List<Entry> merged = new ArrayList<>(some.size() + portless.size());
      int i = 0;
      int j = 0;
      while (i < some.size() || j < portless.size()) {
        if (j == portless.size()
            || (i < some.size() && order.compare(some.get(i), portless.get(j)) < 0)) {
          merged.add(some.get(i++));
        } else {
          merged.add(portless.get(j++));
        }
      }
      return merged;
    }
  }

  /**
   * An {@code appendMatch} entry with its position in the list.
   *
   * @param index the position
   * @param match the entry
   * @param network the entry's network, computed once; empty for domains
   */
  record Entry(int index, Match match, Optional<Network> network) {
    static Entry of(int index, Match match) {
      return new Entry(index, match, Network.of(match.destination()));
    }

    /**
     * The position's hash: consistent with equality (equal entries have equal positions), and
     * cheap, as entries key the planners' maps inside every chain plan, where hashing the match was
     * a tenth of the matcher encoding's time.
     */
    @Override
    public int hashCode() {
      return Integer.hashCode(index);
    }
  }

  /**
   * A {@code tcp} or {@code mysql} entry covers the node: every connection passes, whatever it
   * carries. No transport, server name or ALPN condition.
   *
   * @param entry the most specific such entry
   */
  record AnyTraffic(Entry entry) implements Leaf {}

  /**
   * A {@code tls} domain entry: TLS whose SNI is the name, or ends in the wildcard's suffix.
   *
   * @param serverName the server name in lower case ({@code *.example.com} for a wildcard)
   * @param entry the entry
   */
  record TlsServerName(String serverName, Entry entry) implements Leaf {}

  /**
   * A {@code tls} IP or CIDR entry covers the node: every TLS connection passes, with any or no
   * SNI.
   *
   * @param entry the most specific such entry
   */
  record AnyTls(Entry entry) implements Leaf {}

  /**
   * An {@code http}, {@code http2} or {@code grpc} IP or CIDR entry covers the node: every
   * plaintext HTTP connection (HTTP/1.0, HTTP/1.1, h2c, as http_inspector tells) passes, whatever
   * its Host. No Host decision is needed, so the chain forwards the bytes with tcp_proxy instead of
   * parsing requests: the HTTP connection manager would refuse requests the entry allows (400 for a
   * request without Host, a reset for h2c without {@code :authority}, 431 for oversized headers).
   *
   * @param entry the most specific such entry
   */
  record AnyHttp(Entry entry) implements Leaf {}

  /**
   * Plaintext HTTP (HTTP/1.0, HTTP/1.1, h2c) where only domain entries apply: a virtual host per
   * domain, then a catch-all that answers 503.
   *
   * @param hosts the domain entries, one per name in lower case, exact names before wildcards
   */
  record Http(List<Host> hosts) implements Leaf {
    /** Copies the list. */
    public Http {
      hosts = List.copyOf(hosts);
    }
  }

  /**
   * Audit mode: traffic of the node that no other leaf takes, forwarded to the dialed address and
   * logged.
   *
   * @param traffic which traffic
   * @param nearest the entry the audit log names as nearest: the first, in merged order, that
   *     applies at the same port and node with the same kind of traffic, else the first of any kind
   *     there; when none applies at the node, the same among the port's entries; empty when no
   *     entry applies to the port
   */
  record Audit(AuditTraffic traffic, Optional<Entry> nearest) implements Leaf {}

  /** The traffic an {@link Audit} leaf takes, and the protocol its log lines say Envoy saw. */
  enum AuditTraffic {
    /** TLS with any or no SNI, on a port the inspectors read, where no leaf takes any TLS. */
    TLS("tls", "tls"),
    /**
     * Plaintext HTTP (HTTP/1.0, HTTP/1.1, h2c, as http_inspector tells), on a port the inspectors
     * read, where no HTTP leaf exists. Its log says {@code http} or {@code h2c} per request.
     */
    HTTP("http", "http"),
    /** Neither TLS nor HTTP, on a port the inspectors read. */
    RAW("raw", "raw"),
    /** Everything, on a port the inspectors do not read: Envoy sees bytes only. */
    ANY("any", "raw");

    private final String chainSuffix;
    private final String loggedProtocol;

    AuditTraffic(String chainSuffix, String loggedProtocol) {
      this.chainSuffix = chainSuffix;
      this.loggedProtocol = loggedProtocol;
    }

    /** The last part of the chain's name. */
    String chainSuffix() {
      return chainSuffix;
    }

    /** The {@code protocol} its log lines carry (HTTP chains log per request instead). */
    String loggedProtocol() {
      return loggedProtocol;
    }
  }

  /**
   * A virtual host of an {@link Http} leaf.
   *
   * @param domain the domain in lower case, exact or {@code *.suffix}
   * @param entry the entry it comes from
   */
  record Host(String domain, Entry entry) {}
}
