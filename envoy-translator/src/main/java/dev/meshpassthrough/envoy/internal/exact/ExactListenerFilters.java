package dev.meshpassthrough.envoy.internal.exact;

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
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The listener filters of a listener the exact profile rebuilt: {@code original_dst} first (so port
 * predicates see the original destination), then {@code tls_inspector} and {@code http_inspector},
 * each replacing a filter of the same name.
 *
 * <p>The inspectors run only on ports where some entry needs SNI or ALPN: elsewhere they would make
 * server-first protocols (MySQL, SMTP) wait for bytes that never come. Where they do run, {@code
 * continue_on_listener_filters_timeout} lets server-first traffic continue after the timeout, so a
 * {@code tcp} or {@code mysql} rule on such a port still passes it (late) instead of closing it.
 * Ports handed off ({@link HandOffPlanner}) get no inspector here: their own listener runs them.
 */
final class ExactListenerFilters {
  private ExactListenerFilters() {}

  /**
   * The passthrough listener's filters.
   *
   * @param handedOff ports handed off to another listener ({@link HandOffPlanner}): no inspector
   *     runs on them here, the other listener runs its own
   */
  static void apply(Listener.Builder listener, Inspection inspection, Set<Integer> handedOff) {
    Optional<ListenerFilterChainMatchPredicate> disabled =
        inspectorsDisabled(inspection, handedOff);
    List<ListenerFilter> others =
        listener.getListenerFiltersList().stream()
            .filter(
                f ->
                    !List.of(
                            EnvoyNames.ORIGINAL_DST,
                            EnvoyNames.TLS_INSPECTOR,
                            EnvoyNames.HTTP_INSPECTOR)
                        .contains(f.getName()))
            .toList();
    listener.clearListenerFilters();
    listener.addListenerFilters(
        filter(EnvoyNames.ORIGINAL_DST, OriginalDst.getDefaultInstance(), Optional.empty()));
    listener.addListenerFilters(
        filter(EnvoyNames.TLS_INSPECTOR, TlsInspector.getDefaultInstance(), disabled));
    listener.addListenerFilters(
        filter(EnvoyNames.HTTP_INSPECTOR, HttpInspector.getDefaultInstance(), disabled));
    listener.addAllListenerFilters(others);
    listener.setContinueOnListenerFiltersTimeout(true);
  }

  /**
   * The inspectors of a listener a port is handed off to: they run on every connection it gets, and
   * server-first traffic goes on after the timeout, as on the passthrough listener.
   */
  static void applyInspectorsOnly(Listener.Builder listener) {
    listener.addListenerFilters(
        filter(EnvoyNames.TLS_INSPECTOR, TlsInspector.getDefaultInstance(), Optional.empty()));
    listener.addListenerFilters(
        filter(EnvoyNames.HTTP_INSPECTOR, HttpInspector.getDefaultInstance(), Optional.empty()));
    listener.setContinueOnListenerFiltersTimeout(true);
  }

  /**
   * Off on every port but the inspected ones that stay here; when port-less entries need
   * inspection, off only on the handed-off ports (never off when there are none).
   */
  private static Optional<ListenerFilterChainMatchPredicate> inspectorsDisabled(
      Inspection inspection, Set<Integer> handedOff) {
    if (inspection.reach() == Inspection.Reach.EVERY_PORT) {
      return anyOf(new TreeSet<>(handedOff));
    }
    SortedSet<Integer> stay = new TreeSet<>(inspection.namedPorts());
    stay.removeAll(handedOff);
    return Optional.of(
        anyOf(stay)
            .map(
                onInspected ->
                    ListenerFilterChainMatchPredicate.newBuilder().setNotMatch(onInspected).build())
            .orElse(ListenerFilterChainMatchPredicate.newBuilder().setAnyMatch(true).build()));
  }

  /** A predicate that holds on exactly these ports; empty for none. */
  private static Optional<ListenerFilterChainMatchPredicate> anyOf(SortedSet<Integer> ports) {
    List<ListenerFilterChainMatchPredicate> each =
        ports.stream()
            .map(
                p ->
                    ListenerFilterChainMatchPredicate.newBuilder()
                        .setDestinationPortRange(Int32Range.newBuilder().setStart(p).setEnd(p + 1))
                        .build())
            .toList();
    if (each.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        each.size() == 1
            ? each.get(0)
            : ListenerFilterChainMatchPredicate.newBuilder()
                .setOrMatch(
                    ListenerFilterChainMatchPredicate.MatchSet.newBuilder().addAllRules(each))
                .build());
  }

  private static ListenerFilter filter(
      String name, Message config, Optional<ListenerFilterChainMatchPredicate> disabled) {
    ListenerFilter.Builder filter =
        ListenerFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config));
    disabled.ifPresent(filter::setFilterDisabled);
    return filter.build();
  }
}
