package dev.meshpassthrough.testkit.envoy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The loopback world of a pinning probe ({@link RealEnvoy#startPinning(PinningProbe)}): the names
 * its DNS responder knows, each with its own loopback address, and the sinks that listen on
 * loopback addresses and ports.
 *
 * <pre>{@code
 * PinningProbe world = new PinningProbe(
 *     Map.of("api.test", InetAddresses.forString("127.0.1.1")),
 *     List.of(new InetSocketAddress("127.0.1.1", 18443), new InetSocketAddress("127.0.0.3", 18443)));
 * }</pre>
 *
 * <p>Each address belongs to one name at most, so that the sink a connection reached says which
 * name Envoy resolved.
 *
 * @param names per DNS name (lower case, no trailing dot), its address: {@code 127.0.0.0/8} or
 *     {@code ::1}; names not listed are {@code NXDOMAIN}
 * @param sinks the loopback addresses and ports where the harness listens, each a real port
 */
public record PinningProbe(Map<String, InetAddress> names, List<InetSocketAddress> sinks) {
  /**
   * Checks that every address is a loopback one, that no two names share one, and that every sink
   * has a port; writes the names in lower case and sorts the sinks.
   *
   * @param names per DNS name, its loopback address; not null
   * @param sinks the loopback addresses and ports to listen on; not null
   * @throws NullPointerException when an argument or element is null
   * @throws IllegalArgumentException when an address is not loopback, two names share an address, a
   *     sink has port 0, or a sink is listed twice
   */
  public PinningProbe {
    Map<String, InetAddress> lower = new TreeMap<>();
    Map<InetAddress, String> owners = new HashMap<>();
    for (Map.Entry<String, InetAddress> entry : names.entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      InetAddress address = entry.getValue();
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException("not a loopback address: " + name + " " + address);
      }
      String other = owners.put(address, name);
      if (other != null) {
        throw new IllegalArgumentException(
            other + " and " + name + " share " + InetAddresses.toAddrString(address));
      }
      lower.put(name, address);
    }
    names = java.util.Collections.unmodifiableMap(lower);
    List<InetSocketAddress> sorted = new ArrayList<>(sinks);
    for (InetSocketAddress sink : sorted) {
      if (!sink.getAddress().isLoopbackAddress() || sink.getPort() == 0) {
        throw new IllegalArgumentException("a sink needs a loopback address and a port: " + sink);
      }
    }
    if (sorted.stream().distinct().count() != sorted.size()) {
      throw new IllegalArgumentException("a sink is listed twice: " + sinks);
    }
    sorted.sort(
        Comparator.comparing((InetSocketAddress s) -> InetAddresses.toAddrString(s.getAddress()))
            .thenComparingInt(InetSocketAddress::getPort));
    sinks = List.copyOf(sorted);
  }

  /**
   * The name whose address is {@code address}.
   *
   * @param address an address, not null
   * @return the name the responder answers with it, or empty
   */
  public Optional<String> nameOf(InetAddress address) {
    return names.entrySet().stream()
        .filter(e -> e.getValue().equals(address))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * One question Envoy asked the probe's DNS responder.
   *
   * @param name the name asked, lower case, without a trailing dot
   * @param type {@code A}, {@code AAAA}, or another type's number
   */
  public record DnsQuery(String name, String type) {}
}
