package dev.meshpassthrough.testkit.internal;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpLiteral;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One listener, indexed once: its socket address, its chains by name and its legacy selection tree.
 */
final class ListenerModel {
  private final Listener listener;
  private final Optional<InetAddress> address;
  private final Map<String, FilterChain> chainsByName = new HashMap<>();
  private final Map<FilterChain, String> labels = new IdentityHashMap<>();
  private final LegacyChainIndex legacy;

  ListenerModel(Listener listener) {
    this.listener = listener;
    String ip = listener.getAddress().getSocketAddress().getAddress();
    this.address =
        ip.indexOf('%') < 0 && IpLiteral.parse(ip).isPresent()
            ? Optional.of(InetAddresses.forString(ip))
            : Optional.empty();
    List<FilterChain> chains = listener.getFilterChainsList();
    for (int i = 0; i < chains.size(); i++) {
      FilterChain chain = chains.get(i);
      labels.put(chain, chain.getName().isEmpty() ? "#" + i : chain.getName());
      if (!chain.getName().isEmpty()) {
        chainsByName.putIfAbsent(chain.getName(), chain);
      }
    }
    if (listener.hasDefaultFilterChain()) {
      FilterChain fallback = listener.getDefaultFilterChain();
      labels.put(
          fallback, fallback.getName().isEmpty() ? "default_filter_chain" : fallback.getName());
    }
    this.legacy =
        listener.hasFilterChainMatcher()
            ? LegacyChainIndex.EMPTY
            : LegacyChainIndex.of(chains, this::label);
  }

  Listener listener() {
    return listener;
  }

  String name() {
    return listener.getName().isEmpty() ? "(unnamed listener)" : listener.getName();
  }

  Optional<InetAddress> address() {
    return address;
  }

  int port() {
    return listener.getAddress().getSocketAddress().getPortValue();
  }

  boolean useOriginalDst() {
    return listener.getUseOriginalDst().getValue();
  }

  TrafficDirection direction() {
    return listener.getTrafficDirection();
  }

  /** The chain's name, or {@code #index} for an unnamed chain. */
  String label(FilterChain chain) {
    return labels.getOrDefault(
        chain, chain.getName().isEmpty() ? "(unnamed chain)" : chain.getName());
  }

  Optional<FilterChain> chainNamed(String name) {
    return Optional.ofNullable(chainsByName.get(name));
  }

  LegacyChainIndex legacy() {
    return legacy;
  }

  /**
   * Why Envoy would reject this listener, if it would: no chains at all; with the Matcher API,
   * chains without a name or with a repeated name; with legacy matching, overlapping or malformed
   * matches.
   */
  Optional<String> rejection() {
    if (listener.getFilterChainsCount() == 0 && !listener.hasDefaultFilterChain()) {
      return Optional.of("no filter chains specified");
    }
    if (!listener.hasFilterChainMatcher()) {
      return legacy.rejection();
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (FilterChain chain : listener.getFilterChainsList()) {
      if (chain.getName().isEmpty()) {
        return Optional.of("\"name\" field is required when using a listener matcher");
      }
      if (!names.add(chain.getName())) {
        return Optional.of("\"name\" field is duplicated with value '" + chain.getName() + "'");
      }
    }
    return Optional.empty();
  }

  /**
   * The listener and its bind address, for example {@code name (0.0.0.0:15001, use_original_dst)}.
   */
  String describe() {
    String ip =
        address
            .map(InetAddresses::toAddrString)
            .orElse(listener.getAddress().getSocketAddress().getAddress());
    String where = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port();
    return name() + " (" + where + (useOriginalDst() ? ", use_original_dst" : "") + ")";
  }
}
