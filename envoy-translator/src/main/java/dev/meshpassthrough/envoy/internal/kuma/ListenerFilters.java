package dev.meshpassthrough.envoy.internal.kuma;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.type.v3.Int32Range;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The listener filters of a rebuilt passthrough listener: {@code original_dst}, {@code
 * tls_inspector} and {@code http_inspector}, appended in that order unless a filter of the same
 * name is already there.
 *
 * <p>{@code original_dst} comes first so that the inspectors' port predicates see the original
 * destination port. MySQL is server-first: both inspectors would wait for client bytes that never
 * come, so Kuma disables them on every mysql port ({@code destinationPortRange [p, p+1)}, several
 * ports in an {@code orMatch}).
 */
final class ListenerFilters {
  private ListenerFilters() {}

  /** Appends the missing filters to {@code listener}; {@code mysqlPorts} in ascending order. */
  static void append(Listener.Builder listener, SortedSet<Integer> mysqlPorts) {
    Optional<ListenerFilterChainMatchPredicate> disabled = onPorts(mysqlPorts);
    appendIfMissing(
        listener, EnvoyNames.ORIGINAL_DST, OriginalDst.getDefaultInstance(), Optional.empty());
    appendIfMissing(
        listener, EnvoyNames.TLS_INSPECTOR, TlsInspector.getDefaultInstance(), disabled);
    appendIfMissing(
        listener, EnvoyNames.HTTP_INSPECTOR, HttpInspector.getDefaultInstance(), disabled);
  }

  private static void appendIfMissing(
      Listener.Builder listener,
      String name,
      Message config,
      Optional<ListenerFilterChainMatchPredicate> disabled) {
    if (listener.getListenerFiltersList().stream().anyMatch(f -> f.getName().equals(name))) {
      return;
    }
    ListenerFilter.Builder filter =
        ListenerFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config));
    disabled.ifPresent(filter::setFilterDisabled);
    listener.addListenerFilters(filter);
  }

  private static Optional<ListenerFilterChainMatchPredicate> onPorts(SortedSet<Integer> ports) {
    List<ListenerFilterChainMatchPredicate> rules =
        ports.stream()
            .map(
                p ->
                    ListenerFilterChainMatchPredicate.newBuilder()
                        .setDestinationPortRange(Int32Range.newBuilder().setStart(p).setEnd(p + 1))
                        .build())
            .toList();
    if (rules.size() <= 1) {
      return rules.stream().findFirst();
    }
    return Optional.of(
        ListenerFilterChainMatchPredicate.newBuilder()
            .setOrMatch(ListenerFilterChainMatchPredicate.MatchSet.newBuilder().addAllRules(rules))
            .build());
  }
}
