package dev.meshpassthrough.envoy.internal.exact;

import com.github.xds.type.matcher.v3.Matcher;
import com.google.protobuf.BoolValue;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Optional;

/**
 * The listeners a {@link HandOffPlanner.HandOffPlan} adds: not bound to a port ({@code
 * bind_to_port: false}), reached only through the passthrough listener's {@code use_original_dst}
 * hand-off, {@code OUTBOUND}.
 */
final class HandOffListeners {
  private HandOffListeners() {}

  /**
   * The listener of a handed-off port on the family's wildcard address: the inspectors, without
   * {@code filter_disabled}, continuing after their timeout (the passthrough listener's {@code
   * listener_filters_timeout}, if it sets one) as the passthrough listener does, and the port's
   * chains, in legacy matching (with the fallback chain {@code unmatched} decides) or behind {@code
   * matcher}.
   */
  static Listener portListener(
      Naming naming,
      Unmatched unmatched,
      Listener passthrough,
      IpFamily family,
      int port,
      List<FilterChain> chains,
      Optional<Matcher> matcher) {
    Listener.Builder listener =
        unbound(
                naming.handOffPortListenerName(family, port),
                family == IpFamily.IPV4 ? "0.0.0.0" : "::",
                port)
            .addAllFilterChains(chains);
    if (passthrough.hasListenerFiltersTimeout()) {
      listener.setListenerFiltersTimeout(passthrough.getListenerFiltersTimeout());
    }
    matcher.ifPresentOrElse(
        listener::setFilterChainMatcher,
        () -> unmatched.defaultChain(naming).ifPresent(listener::setDefaultFilterChain));
    ExactListenerFilters.applyInspectorsOnly(listener);
    return listener.build();
  }

  /**
   * The listener of one address of a handed-off port: no listener filters, so a server-first client
   * is not kept waiting, and one chain that passes any bytes (its match cleared: every connection
   * this listener gets is for the address and port).
   */
  static Listener addressListener(Naming naming, Network address, int port, FilterChain chain) {
    return unbound(
            naming.handOffAddressListenerName(address.addressText(), port),
            address.addressText(),
            port)
        .addFilterChains(chain.toBuilder().clearFilterChainMatch())
        .build();
  }

  private static Listener.Builder unbound(String name, String address, int port) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress(address).setPortValue(port)))
        .setBindToPort(BoolValue.of(false))
        .setTrafficDirection(TrafficDirection.OUTBOUND);
  }
}
