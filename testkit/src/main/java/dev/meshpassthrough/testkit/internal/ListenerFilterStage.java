package dev.meshpassthrough.testkit.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision.Outcome;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a listener's listener filters in order.
 *
 * <ul>
 *   <li>A filter is skipped when its {@code filter_disabled} predicate holds; port predicates see
 *       the local port at that moment, which is the listener's own until original_dst has run.
 *   <li>With {@code use_original_dst}, Envoy appends its own original_dst filter last.
 *   <li>tls_inspector and http_inspector wait for the client's first bytes: a server-first client
 *       stalls them until {@code listener_filters_timeout} (15 s by default, 0 = forever), then the
 *       connection is closed, unless {@code continue_on_listener_filters_timeout} lets it go on
 *       with what was found (the remaining filters do not run).
 *   <li>http_inspector does nothing once a transport other than {@code raw_buffer} is set.
 * </ul>
 *
 * <p>The {@code use_original_dst} hand-off comes after this stage, also after a timeout with {@code
 * continue_on_listener_filters_timeout}, and the target listener runs its own filters (measured on
 * Envoy 1.40: a server-first client reached a listener bound to its destination after the
 * passthrough listener's 15 s, and a second wait followed on a target with inspectors).
 */
final class ListenerFilterStage {
  private static final long DEFAULT_TIMEOUT_SECONDS = 15;

  private ListenerFilterStage() {}

  /** The facts after the filters, or empty when the run ended (stalled). */
  static Optional<ConnectionFacts> run(
      ListenerModel model, ConnectionFacts start, SimulationRun run) {
    Listener listener = model.listener();
    List<Entry> entries = new ArrayList<>();
    for (ListenerFilter filter : listener.getListenerFiltersList()) {
      Optional<Any> config =
          filter.hasTypedConfig() ? Optional.of(filter.getTypedConfig()) : Optional.empty();
      entries.add(
          new Entry(
              filter.getName(),
              EnvoyTypes.kind(config, filter.getName()),
              filter.hasFilterDisabled()
                  ? Optional.of(filter.getFilterDisabled())
                  : Optional.empty(),
              false));
    }
    if (model.useOriginalDst()) {
      entries.add(
          new Entry(EnvoyTypes.ORIGINAL_DST, EnvoyTypes.ORIGINAL_DST, Optional.empty(), true));
    }
    if (entries.isEmpty()) {
      run.trace.add(Stage.LISTENER_FILTER, "no listener filters");
      return Optional.of(start);
    }
    run.trace.add(Stage.LISTENER_FILTER, "listener filters");
    run.trace.enter();
    try {
      ConnectionFacts facts = start;
      for (int i = 0; i < entries.size(); i++) {
        Entry entry = entries.get(i);
        if (entry.disabled().isPresent()
            && PortPredicate.holds(entry.disabled().get(), facts.localPort())) {
          run.trace.add(
              Stage.LISTENER_FILTER,
              entry.label()
                  + ": disabled, its filter_disabled predicate holds for port "
                  + facts.localPort());
          continue;
        }
        Optional<ConnectionFacts> next = apply(entry, facts, run);
        if (next.isEmpty()) {
          return onStall(listener, entry, facts, entries.subList(i + 1, entries.size()), run);
        }
        facts = next.get();
      }
      return Optional.of(facts);
    } finally {
      run.trace.leave();
    }
  }

  /** The facts after one filter; empty when it waits for bytes that never come. */
  private static Optional<ConnectionFacts> apply(
      Entry entry, ConnectionFacts facts, SimulationRun run) {
    Connection.Payload payload = facts.connection().payload();
    if (entry.is(EnvoyTypes.ORIGINAL_DST_TYPE, EnvoyTypes.ORIGINAL_DST)) {
      ConnectionFacts restored = facts.restored();
      run.trace.add(
          Stage.LISTENER_FILTER,
          entry.label() + ": the original destination is " + restored.localText());
      return Optional.of(restored);
    }
    if (entry.is(EnvoyTypes.TLS_INSPECTOR_TYPE, EnvoyTypes.TLS_INSPECTOR)) {
      if (payload instanceof Connection.ServerFirst) {
        return Optional.empty();
      }
      if (payload instanceof Connection.TlsClientHello hello) {
        ConnectionFacts tls = facts.withTls(hello.serverName(), hello.alpn());
        run.trace.add(
            Stage.LISTENER_FILTER,
            entry.label()
                + ": ClientHello: transport tls, SNI "
                + (tls.serverName().isEmpty() ? "(none)" : tls.serverName())
                + ", ALPN "
                + alpnText(tls.alpn()));
        return Optional.of(tls);
      }
      run.trace.add(Stage.LISTENER_FILTER, entry.label() + ": not a TLS ClientHello, sets nothing");
      return Optional.of(facts);
    }
    if (entry.is(EnvoyTypes.HTTP_INSPECTOR_TYPE, EnvoyTypes.HTTP_INSPECTOR)) {
      if (facts.transport().isPresent()
          && !facts.transport().get().equals(EnvoyTypes.TRANSPORT_RAW_BUFFER)) {
        run.trace.add(
            Stage.LISTENER_FILTER,
            entry.label() + ": skipped, the transport is already " + facts.transport().get());
        return Optional.of(facts);
      }
      if (payload instanceof Connection.ServerFirst) {
        return Optional.empty();
      }
      if (payload instanceof Connection.HttpRequest request) {
        String alpn = request.version().inspectedAlpn();
        run.trace.add(
            Stage.LISTENER_FILTER,
            entry.label() + ": " + request.version().wireName() + ", ALPN " + alpn);
        return Optional.of(facts.withAlpn(alpn));
      }
      run.trace.add(Stage.LISTENER_FILTER, entry.label() + ": not HTTP, sets nothing");
      return Optional.of(facts);
    }
    run.trace.add(
        Stage.LISTENER_FILTER,
        entry.label() + ": not simulated, assumed to set nothing and let the connection through");
    return Optional.of(facts);
  }

  private static Optional<ConnectionFacts> onStall(
      Listener listener,
      Entry entry,
      ConnectionFacts facts,
      List<Entry> skipped,
      SimulationRun run) {
    Duration timeout =
        listener.hasListenerFiltersTimeout()
            ? listener.getListenerFiltersTimeout()
            : Duration.newBuilder().setSeconds(DEFAULT_TIMEOUT_SECONDS).build();
    String waits =
        entry.label()
            + ": waits for the client's first bytes, but a server-first client sends none";
    if (timeout.getSeconds() == 0 && timeout.getNanos() == 0) {
      run.trace.add(
          Stage.LISTENER_FILTER, waits + "; listener_filters_timeout 0 means it waits forever");
      return run.stop(
          Outcome.STALLED,
          "stalled: " + entry.label() + " waits forever for a server-first client's first bytes");
    }
    String after = seconds(timeout);
    if (listener.getContinueOnListenerFiltersTimeout()) {
      run.waitedForListenerFiltersTimeout = true;
      run.trace.add(
          Stage.LISTENER_FILTER,
          waits
              + "; after "
              + after
              + ", continue_on_listener_filters_timeout lets the connection go on"
              + (skipped.isEmpty()
                  ? ""
                  : " without the remaining filters ("
                      + String.join(", ", skipped.stream().map(Entry::label).toList())
                      + ")"));
      return Optional.of(facts);
    }
    run.trace.add(
        Stage.LISTENER_FILTER,
        waits + "; the connection is closed after listener_filters_timeout (" + after + ")");
    return run.stop(
        Outcome.STALLED,
        "closed after "
            + after
            + ": "
            + entry.label()
            + " waited for the client's first bytes, but a server-first client sends none");
  }

  private static String seconds(Duration duration) {
    if (duration.getNanos() == 0) {
      return duration.getSeconds() + " s";
    }
    return (duration.getSeconds() * 1000 + duration.getNanos() / 1_000_000) + " ms";
  }

  static String alpnText(List<String> alpn) {
    return alpn.isEmpty() ? "(none)" : String.join(",", alpn);
  }

  /** One listener filter: written, or appended by Envoy for {@code use_original_dst}. */
  private record Entry(
      String name,
      String kind,
      Optional<ListenerFilterChainMatchPredicate> disabled,
      boolean implicit) {
    boolean is(String typeUrl, String filterName) {
      return kind.equals(typeUrl) || kind.equals(filterName);
    }

    String label() {
      return implicit
          ? name + " (appended last by Envoy for use_original_dst)"
          : name.isEmpty() ? kind : name;
    }
  }
}
