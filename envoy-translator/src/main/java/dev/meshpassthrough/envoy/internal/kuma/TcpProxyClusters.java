package dev.meshpassthrough.envoy.internal.kuma;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The clusters a listener's {@code tcp_proxy} filters send traffic to. */
final class TcpProxyClusters {
  /** What {@code Any.is(TcpProxy.class)} compares, computed once. */
  private static final String TYPE_NAME = TcpProxy.getDescriptor().getFullName();

  private TcpProxyClusters() {}

  /**
   * The clusters of {@code candidates} that a tcp_proxy of {@code listener}'s chains or default
   * chain names, in the order the chains and filters name them. A tcp_proxy is parsed only when its
   * bytes hold the UTF-8 bytes of some candidate: a string field is encoded verbatim, so a config
   * without them names none of them. The translator's own chains (thousands) name only policy
   * clusters, and the candidates are the few clusters the translation removed.
   */
  static Set<String> named(Listener listener, Collection<String> candidates) {
    return named(listener, candidates, Set.of());
  }

  /**
   * As {@link #named(Listener, Collection)}, without reading the chains in {@code skipped}
   * (compared by identity or equality, as the set does): those the caller knows name none of the
   * candidates.
   */
  static Set<String> named(
      Listener listener, Collection<String> candidates, Set<FilterChain> skipped) {
    if (candidates.isEmpty()) {
      return Set.of();
    }
    List<ByteString> needles = candidates.stream().map(ByteString::copyFromUtf8).toList();
    List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
    if (listener.hasDefaultFilterChain()) {
      chains.add(listener.getDefaultFilterChain());
    }
    Set<String> clusters = new LinkedHashSet<>();
    for (FilterChain chain : chains) {
      if (skipped.contains(chain)) {
        continue;
      }
      for (Filter filter : chain.getFiltersList()) {
        if (filter.hasTypedConfig()
            && isTcpProxy(filter.getTypedConfig())
            && containsAny(filter.getTypedConfig().getValue(), needles)) {
          TcpProxy tcpProxy = unpack(filter.getTypedConfig());
          if (candidates.contains(tcpProxy.getCluster())) {
            clusters.add(tcpProxy.getCluster());
          }
          tcpProxy.getWeightedClusters().getClustersList().stream()
              .map(c -> c.getName())
              .filter(candidates::contains)
              .forEach(clusters::add);
        }
      }
    }
    return clusters;
  }

  private static boolean containsAny(ByteString bytes, List<ByteString> needles) {
    for (ByteString needle : needles) {
      if (indexOf(bytes, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(ByteString haystack, ByteString needle) {
    int last = haystack.size() - needle.size();
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < needle.size(); j++) {
        if (haystack.byteAt(i + j) != needle.byteAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // Any.is and Any.unpack look the message's default instance up by reflection on every call,
  // which made this scan a fifth of the kuma profile's translation time: compare the type name and
  // parse directly instead (same semantics: the type name is what follows the URL's last '/', and a
  // URL without one
  // matches nothing).
  private static boolean isTcpProxy(Any any) {
    String url = any.getTypeUrl();
    return url.length() > TYPE_NAME.length()
        && url.endsWith(TYPE_NAME)
        && url.charAt(url.length() - TYPE_NAME.length() - 1) == '/';
  }

  private static TcpProxy unpack(Any any) {
    try {
      return TcpProxy.parseFrom(any.getValue());
    } catch (InvalidProtocolBufferException e) {
      return TcpProxy.getDefaultInstance(); // a broken config names no cluster we could report on
    }
  }
}
