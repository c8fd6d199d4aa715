package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.type.v3.Int32Range;
import java.util.List;
import java.util.Optional;

/**
 * The listener filters of a listener the exact profile rebuilt: {@code original_dst} first (so port
 * predicates see the original destination), then {@code tls_inspector} and {@code http_inspector},
 * each replacing a filter of the same name.
 *
 * <p>The inspectors run only on ports where some entry needs SNI or ALPN: elsewhere they would make
 * server-first protocols (MySQL, SMTP) wait for bytes that never come. Where they do run, {@code
 * continue_on_listener_filters_timeout} lets server-first traffic continue after the timeout, so a
 * {@code tcp} or {@code mysql} rule on such a port still passes it (late) instead of closing it.
 */
final class ExactListenerFilters {
  private ExactListenerFilters() {}

  static void apply(Listener.Builder listener, ExactPlanner.ListenerPlan plan) {
    Optional<ListenerFilterChainMatchPredicate> disabled = inspectorsDisabled(plan);
    List<ListenerFilter> others = listener.getListenerFiltersList().stream()
        .filter(f -> !List.of(EnvoyNames.ORIGINAL_DST, EnvoyNames.TLS_INSPECTOR, EnvoyNames.HTTP_INSPECTOR).contains(f.getName()))
        .toList();
    listener.clearListenerFilters();
    listener.addListenerFilters(filter(EnvoyNames.ORIGINAL_DST, OriginalDst.getDefaultInstance(), Optional.empty()));
    listener.addListenerFilters(filter(EnvoyNames.TLS_INSPECTOR, TlsInspector.getDefaultInstance(), disabled));
    listener.addListenerFilters(filter(EnvoyNames.HTTP_INSPECTOR, HttpInspector.getDefaultInstance(), disabled));
    listener.addAllListenerFilters(others);
    listener.setContinueOnListenerFiltersTimeout(true);
  }

  /** Off on every port but the inspected ones; never off when port-less entries need inspection. */
  private static Optional<ListenerFilterChainMatchPredicate> inspectorsDisabled(ExactPlanner.ListenerPlan plan) {
    if (plan.inspectEveryPort() == ExactPlanner.Inspection.EVERY_PORT) {
      return Optional.empty();
    }
    List<ListenerFilterChainMatchPredicate> inspected = plan.inspectedPorts().stream()
        .map(p -> ListenerFilterChainMatchPredicate.newBuilder()
            .setDestinationPortRange(Int32Range.newBuilder().setStart(p).setEnd(p + 1))
            .build())
        .toList();
    if (inspected.isEmpty()) {
      return Optional.of(ListenerFilterChainMatchPredicate.newBuilder().setAnyMatch(true).build());
    }
    ListenerFilterChainMatchPredicate onInspected = inspected.size() == 1 ? inspected.get(0)
        : ListenerFilterChainMatchPredicate.newBuilder()
            .setOrMatch(ListenerFilterChainMatchPredicate.MatchSet.newBuilder().addAllRules(inspected))
            .build();
    return Optional.of(ListenerFilterChainMatchPredicate.newBuilder().setNotMatch(onInspected).build());
  }

  private static ListenerFilter filter(String name, Message config, Optional<ListenerFilterChainMatchPredicate> disabled) {
    ListenerFilter.Builder filter = ListenerFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config));
    disabled.ifPresent(filter::setFilterDisabled);
    return filter.build();
  }
}
