package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.UInt32Value;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What both profiles read of a proxy's outbound passthrough: the listener of each address family,
 * the internal addresses its HTTP connection managers get, and the prefix ranges they write.
 */
public final class PassthroughListeners {
  private static final List<String> DEFAULT_INTERNAL_ADDRESSES = List.of("127.0.0.1/32", "::1/128");

  private PassthroughListeners() {}

  /**
   * The outbound passthrough listener of {@code family}: the first, by its current name and then
   * its legacy one, whose origin is the transparent proxy.
   *
   * @param proxy the proxy
   * @param family the address family
   * @return the listener; empty when the proxy has none of that family
   */
  public static Optional<Listener> of(ProxyContext proxy, IpFamily family) {
    List<String> names = Naming.passthroughNames(family);
    return proxy.listeners().stream()
        .filter(
            l ->
                l.origin().equals(ProxyContext.ORIGIN_TRANSPARENT)
                    && names.contains(l.listener().getName()))
        .map(ProxyContext.ExistingListener::listener)
        .findFirst();
  }

  /**
   * The HTTP connection manager's internal addresses: the proxy's, or Kuma's default {@code
   * 127.0.0.1/32} and {@code ::1/128}; Kuma drops IPv6 ones unless IPv6 is enabled.
   *
   * @param proxy the proxy
   * @return the ranges, in the order written
   */
  public static List<CidrRange> internalAddresses(ProxyContext proxy) {
    List<String> written =
        proxy.internalAddresses().isEmpty()
            ? DEFAULT_INTERNAL_ADDRESSES
            : proxy.internalAddresses();
    List<CidrRange> ranges = new ArrayList<>();
    for (String text : written) {
      Destination.Cidr cidr = Destination.Cidr.parse(text);
      if (proxy.ipv6Enabled() || cidr.family().orElseThrow() == IpFamily.IPV4) {
        ranges.add(cidrRange(cidr.networkText(), cidr.prefixLength()));
      }
    }
    return ranges;
  }

  /**
   * An Envoy prefix range.
   *
   * @param address the address as it is to be written
   * @param prefixLength the prefix length
   * @return the range
   */
  public static CidrRange cidrRange(String address, int prefixLength) {
    return CidrRange.newBuilder()
        .setAddressPrefix(address)
        .setPrefixLen(UInt32Value.of(prefixLength))
        .build();
  }
}
