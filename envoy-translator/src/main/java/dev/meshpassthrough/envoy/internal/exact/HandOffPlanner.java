package dev.meshpassthrough.envoy.internal.exact;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which ports of a passthrough listener the exact profile hands off, so that server-first traffic
 * behind a {@code tcp} or {@code mysql} IP rule does not wait for the listener-filter timeout.
 *
 * <p>Measured on Envoy 1.40: tls_inspector and http_inspector wait for the client's first bytes, so
 * a server-first client (MySQL, SMTP) behind them goes on only after {@code
 * listener_filters_timeout} (15 s), and the {@code use_original_dst} hand-off to a listener bound
 * to the original destination happens only after all of the passthrough listener's own listener
 * filters ran, so a listener on the rule's address alone does not help. A port where an IP rule of
 * {@code tcp} or {@code mysql} applies and the inspectors must run is therefore handed off whole (a
 * CIDR of up to 16 addresses counts as that many IP rules):
 *
 * <ul>
 *   <li>the passthrough listener runs no inspector on that port and keeps none of its chains;
 *   <li>a listener on {@code 0.0.0.0:port} ({@code [::]:port}), not bound, runs the inspectors and
 *       holds the port's chains, exactly as the passthrough listener held them;
 *   <li>a listener on {@code address:port} per such address, not bound, without listener filters,
 *       passes any bytes to the rule's cluster at once: Envoy hands a connection to the listener on
 *       its exact address before the one on the wildcard address.
 * </ul>
 *
 * <p>Ports where a listener of the proxy is already bound to the wildcard address, and addresses
 * where one is already bound, are left alone: Envoy hands those connections to that listener
 * anyway. CIDR rules of more than 16 addresses and port-less rules on ports no rule names still
 * wait for the timeout. Nothing is handed off when another listener of the family's wildcard
 * address uses {@code use_original_dst} (Kuma's inbound passthrough on 15006): Envoy's hand-off
 * looks at the address only, so that listener would hand inbound connections to an undeclared port
 * to the outbound table; the translation notes it instead. Pure and thread-safe.
 */
final class HandOffPlanner {
  /**
   * The most address listeners one family gets. Port-less IP rules times named ports can be far
   * more; beyond this nothing is handed off (the wait stays, with a note), rather than emit a
   * listener per pair.
   */
  static final int MAX_ADDRESS_LISTENERS = 1_000;

  /**
   * CIDRs of at most 16 addresses ({@code /28}, {@code /124}) get a listener per address; wider
   * ones wait.
   */
  static final int MAX_HOST_BITS = 4;

  private HandOffPlanner() {}

  /**
   * The ports handed off, each with the chains of its address listeners.
   *
   * @param ports per handed-off port, one any-traffic chain per address, most specific first
   * @param withheld why no port is handed off although some would be: the note to give
   */
  record HandOffPlan(
      SortedMap<Integer, List<ExactPlanner.ChainPlan>> ports, Optional<String> withheld) {
    /** Whether {@code port} is handed off; the any-port node never is. */
    boolean handsOff(Optional<Port> port) {
      return port.map(p -> ports.containsKey(p.value())).orElse(false);
    }
  }

  /**
   * The hand-off of the passthrough listener of {@code family}.
   *
   * @param relevant the applied entries that apply on the listener ({@link ExactLeaf#relevant})
   * @param inspection the ports whose entries need the inspectors
   * @param existing the proxy's listeners, the passthrough listeners included
   * @param passthrough the name of the passthrough listener being rebuilt
   */
  static HandOffPlan plan(
      List<ExactLeaf.Entry> relevant,
      IpFamily family,
      Inspection inspection,
      List<Listener> existing,
      String passthrough) {
    // The named ports, each once: a bit per port, then one map entry per port.
    BitSet named = new BitSet();
    for (ExactLeaf.Entry entry : relevant) {
      Optional<Port> port = entry.match().port();
      if (port.isPresent()) {
        named.set(port.get().value());
      }
    }
    SortedMap<Integer, List<ExactPlanner.ChainPlan>> ports = new TreeMap<>();
    named.stream().forEach(port -> ports.put(port, new ArrayList<>()));
    Map<Integer, Set<InetAddress>> boundByPort = boundAddresses(existing);
    InetAddress wildcard = InetAddresses.forString(wildcard(family));
    ports
        .keySet()
        .removeIf(
            port ->
                !inspection.covers(port)
                    || boundByPort.getOrDefault(port, Set.of()).contains(wildcard));
    if (ports.isEmpty()) {
      return new HandOffPlan(ports, Optional.empty());
    }
    // The entries that take any bytes on a small enough network, found once for every port.
    List<ExactLeaf.Entry> candidates = new ArrayList<>();
    for (ExactLeaf.Entry entry : relevant) {
      Protocol protocol = entry.match().protocol();
      boolean anyBytes = protocol == Protocol.TCP || protocol == Protocol.MYSQL;
      // An IPv4-mapped IPv6 address is left out: which listener Envoy would look it up under is
      // unclear.
      boolean eligible =
          anyBytes
              && entry
                  .network()
                  .filter(n -> n.prefixLength() >= family.bits() - MAX_HOST_BITS)
                  .filter(
                      n -> family == IpFamily.IPV4 || !(n.inetAddress() instanceof Inet4Address))
                  .isPresent();
      if (eligible) {
        candidates.add(entry);
      }
    }
    // Each port looks at its own candidates and the port-less ones, not at every candidate.
    ExactLeaf.ByPort candidatesByPort =
        ExactLeaf.ByPort.of(candidates, Comparator.comparingInt(ExactLeaf.Entry::index));
    for (var each : ports.entrySet()) {
      int port = each.getKey();
      Set<InetAddress> bound = boundByPort.getOrDefault(port, Set.of());
      // The most specific entry of each address (a total order: which entry comes first does not
      // matter), then the addresses sorted once.
      Map<Network, ExactLeaf.Entry> addresses = new HashMap<>();
      for (ExactLeaf.Entry entry : candidatesByPort.on(port)) {
        for (Network address : addressesOf(entry.network().orElseThrow())) {
          if (bound.isEmpty() || !bound.contains(address.inetAddress())) {
            addresses.merge(address, entry, (a, b) -> MOST_SPECIFIC.compare(a, b) <= 0 ? a : b);
          }
        }
      }
      List<Map.Entry<Network, ExactLeaf.Entry>> sorted = new ArrayList<>(addresses.entrySet());
      sorted.sort(Map.Entry.comparingByKey(Network.MOST_SPECIFIC_FIRST));
      for (Map.Entry<Network, ExactLeaf.Entry> address : sorted) {
        each.getValue()
            .add(
                new ExactPlanner.ChainPlan(
                    Optional.of(Port.of(port)),
                    Optional.of(address.getKey()),
                    new ExactLeaf.AnyTraffic(address.getValue())));
      }
    }
    ports.values().removeIf(List::isEmpty);
    ports.replaceAll((port, chains) -> List.copyOf(chains));
    int addressListeners = ports.values().stream().mapToInt(List::size).sum();
    if (addressListeners > MAX_ADDRESS_LISTENERS) {
      return new HandOffPlan(
          new TreeMap<>(),
          Optional.of(
              "ports of listener "
                  + passthrough
                  + " are not handed off: they would need "
                  + addressListeners
                  + " address listeners, more than "
                  + MAX_ADDRESS_LISTENERS
                  + "; server-first traffic behind the tcp or "
                  + "mysql IP rules there passes only after listener_filters_timeout"));
    }
    Optional<Listener> other =
        existing.stream()
            .filter(l -> !l.getName().equals(passthrough) && l.getUseOriginalDst().getValue())
            .filter(l -> boundTo(l, wildcard(family)))
            .findFirst();
    if (other.isPresent() && !ports.isEmpty()) {
      // Envoy hands off by address only: the inbound passthrough listener would hand connections
      // to an undeclared local port to the wildcard listener of that port, our outbound table.
      return new HandOffPlan(
          new TreeMap<>(),
          Optional.of(
              "ports "
                  + ports.keySet()
                  + " of listener "
                  + passthrough
                  + " are not handed off, because listener "
                  + other.get().getName()
                  + " also hands connections off by their original "
                  + "destination and would hand its own to them: server-first traffic behind the tcp or mysql IP rules there "
                  + "passes only after listener_filters_timeout"));
    }
    return new HandOffPlan(ports, Optional.empty());
  }

  /**
   * The entry whose cluster an address takes: the longest prefix, as Envoy's legacy selection and
   * the matcher's most-specific-first list pick it, then {@link ExactPlanner#PREFERENCE}.
   */
  private static final Comparator<ExactLeaf.Entry> MOST_SPECIFIC =
      Comparator.comparingInt((ExactLeaf.Entry e) -> -e.network().orElseThrow().prefixLength())
          .thenComparing(ExactPlanner.PREFERENCE);

  /**
   * Every address of a network of at most {@code 2^MAX_HOST_BITS} addresses, each as a full-length
   * network.
   */
  private static List<Network> addressesOf(Network network) {
    int hostBits = network.family().bits() - network.prefixLength();
    List<Network> addresses = new ArrayList<>();
    for (int i = 0; i < 1 << hostBits; i++) {
      addresses.add(
          new Network(
              network.family(),
              network.bits().add(BigInteger.valueOf(i)),
              network.family().bits()));
    }
    return addresses;
  }

  private static String wildcard(IpFamily family) {
    return family == IpFamily.IPV4 ? "0.0.0.0" : "::";
  }

  private static boolean boundTo(Listener listener, String address) {
    return boundAddress(listener).filter(InetAddresses.forString(address)::equals).isPresent();
  }

  /**
   * The address a listener is bound to; empty when bound to a name or a scoped address, as no IP
   * destination equals those.
   */
  private static Optional<InetAddress> boundAddress(Listener listener) {
    String bound = listener.getAddress().getSocketAddress().getAddress();
    return bound.indexOf('%') < 0 && IpLiteral.parse(bound).isPresent()
        ? Optional.of(InetAddresses.forString(bound))
        : Optional.empty();
  }

  /** The addresses the proxy's listeners are bound to ({@link #boundAddress}), by port. */
  private static Map<Integer, Set<InetAddress>> boundAddresses(List<Listener> existing) {
    Map<Integer, Set<InetAddress>> bound = new HashMap<>();
    for (Listener listener : existing) {
      boundAddress(listener)
          .ifPresent(
              address ->
                  bound
                      .computeIfAbsent(
                          listener.getAddress().getSocketAddress().getPortValue(),
                          p -> new HashSet<>())
                      .add(address));
    }
    return bound;
  }
}
