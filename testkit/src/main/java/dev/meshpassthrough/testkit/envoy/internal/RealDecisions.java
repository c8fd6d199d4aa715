package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Decision.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns what a probe connection saw (its access-log entries and the bytes that came back) into a
 * {@link Decision}, filled with what a real Envoy reports: outcome, listener, chain, cluster, HTTP
 * status and a reason. A real decision has no trace.
 */
public final class RealDecisions {
  private RealDecisions() {}

  /** The decision of one transcript under {@code plan}. */
  public static Decision of(
      ProbePlan plan,
      ProbePlan.ListenerInfo entered,
      Connection connection,
      ProbeConversation.Transcript t,
      Duration probeTimeout) {
    List<AccessLogTail.Entry> entries = t.entries();
    Optional<AccessLogTail.Entry> listenerEntry =
        entries.stream().filter(e -> e.kind().equals("listener")).findFirst();
    Optional<AccessLogTail.Entry> tcp =
        entries.stream().filter(e -> e.kind().equals("tcp_proxy")).findFirst();
    Optional<AccessLogTail.Entry> http =
        entries.stream().filter(e -> e.kind().equals("http")).findFirst();
    ProbePlan.ListenerInfo listener =
        listenerEntry.map(e -> plan.listenerInfo().get(e.listenerTag())).orElse(entered);
    Optional<String> chain =
        listenerEntry
            .flatMap(AccessLogTail.Entry::chain)
            .or(() -> tcp.flatMap(AccessLogTail.Entry::chain))
            .or(() -> http.flatMap(AccessLogTail.Entry::chain));
    boolean chainTaken =
        tcp.isPresent()
            || http.isPresent()
            || listenerEntry
                    .filter(
                        e ->
                            !e.details().contains("filter_chain_not_found")
                                && !e.flags().contains("NR"))
                    .isPresent()
                && (chain.isPresent() || t.received().length > 0);
    if (chain.isEmpty() && chainTaken) {
      chain = listener.unnamedChainLabel(); // Envoy logs no name for an unnamed chain
    }
    Builder d = new Builder(listener.name(), chain);
    d.flagged = entries.stream().anyMatch(e -> e.kind().equals(AccessLogTail.AUDIT));
    Duration timeout = listener.effectiveTimeout(probeTimeout);
    d.waited =
        connection.payload() instanceof Connection.ServerFirst
            && listener.inspectors()
            && listener.continueOnTimeout()
            && !timeout.isZero()
            && t.elapsed().compareTo(timeout.multipliedBy(8).dividedBy(10)) >= 0;
    String chainText = chain.map(c -> "chain " + c).orElse("no chain");

    if (http.isPresent()) {
      AccessLogTail.Entry e = http.get();
      d.cluster = e.cluster();
      if (e.details().equals("via_upstream")
          || (e.cluster().isPresent() && e.details().startsWith("upstream_"))) {
        return d.allowed(
            plan,
            "HTTP "
                + e.code().map(String::valueOf).orElse("request")
                + " forwarded by "
                + chainText);
      }
      d.status = e.code().map(OptionalInt::of).orElse(OptionalInt.empty());
      if (e.flags().contains("NC") || e.details().equals("cluster_not_found")) {
        return d.stop(
            Outcome.MISSING_CLUSTER,
            status(e) + ": the route's cluster " + e.cluster().orElse("?") + " does not exist");
      }
      if (e.code().isEmpty() && e.details().equals("downstream_remote_disconnect")) {
        // No response at all: the request waited (for example no router filter) until the probe
        // gave up.
        return d.stop(
            Outcome.STALLED,
            "never answered: the HTTP connection manager of "
                + chainText
                + " did not answer before the client closed (Envoy: "
                + e.details()
                + ")");
      }
      if (e.details().contains("codec_error")
          || e.details().contains("protocol_error")
          || e.code().isEmpty()) {
        // No status: Envoy closed or reset the stream without answering (for example h2c without
        // :authority).
        d.status = OptionalInt.empty();
        return d.stop(
            Outcome.PROTOCOL_ERROR,
            "closed: the HTTP connection manager refused the request without an answer ("
                + e.details()
                + ")");
      }
      return d.stop(
          Outcome.HTTP_RESPONSE,
          status(e)
              + ": answered by Envoy ("
              + e.details()
              + ")"
              + e.route().map(r -> " on route " + r).orElse(""));
    }
    if (tcp.isPresent()) {
      AccessLogTail.Entry e = tcp.get();
      d.cluster = e.cluster();
      if (e.flags().contains("NC")
          || (e.cluster().isPresent()
              && !plan.originalClusterTypes().containsKey(e.cluster().get()))) {
        return d.stop(
            Outcome.MISSING_CLUSTER,
            "closed: tcp_proxy's cluster " + e.cluster().orElse("?") + " does not exist");
      }
      return d.allowed(
          plan,
          "tcp_proxy of "
              + chainText
              + (d.waited
                  ? ", after listener_filters_timeout ("
                      + millis(probeTimeout)
                      + " in the probe; "
                      + millis(listener.listenerFiltersTimeout())
                      + " as configured)"
                  : ""));
    }
    AccessLogTail.Entry e = listenerEntry.orElseThrow();
    if (e.details().contains("filter_chain_not_found") || e.flags().contains("NR")) {
      return d.stop(
          Outcome.NO_FILTER_CHAIN, "closed: no filter chain matches (Envoy: " + e.details() + ")");
    }
    if (chain.isEmpty()) {
      return d.stop(
          Outcome.STALLED,
          "closed after listener_filters_timeout: a listener filter waited for the client's first bytes"
              + " (Envoy: "
              + e.flags()
              + " "
              + e.details()
              + ")");
    }
    String terminal = listener.chainTerminals().getOrDefault(chain.get(), "other");
    if (terminal.equals("http")) {
      if (t.received().length == 0 && !t.closedByEnvoy()) {
        return d.stop(
            Outcome.STALLED,
            "never answered: the HTTP connection manager of " + chainText + " waits for a request");
      }
      return d.stop(
          Outcome.PROTOCOL_ERROR,
          "closed: the HTTP connection manager of "
              + chainText
              + " cannot parse "
              + connection.payload());
    }
    return d.stop(
        Outcome.NO_NETWORK_FILTER,
        "closed: "
            + chainText
            + " has no terminal network filter (tcp_proxy or http_connection_manager)"
            + " (Envoy: "
            + e.flags()
            + " "
            + e.details()
            + ")");
  }

  private static String status(AccessLogTail.Entry e) {
    return e.code().map(String::valueOf).orElse("no status");
  }

  private static String millis(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** What a decision is assembled from. */
  private static final class Builder {
    final String listener;
    final Optional<String> chain;
    Optional<String> cluster = Optional.empty();
    OptionalInt status = OptionalInt.empty();
    boolean waited;

    /** Whether an audit log wrote a would-deny line for the connection. */
    boolean flagged;

    Builder(String listener, Optional<String> chain) {
      this.listener = listener;
      this.chain = chain;
    }

    Decision allowed(ProbePlan plan, String how) {
      Optional<String> type = cluster.map(c -> plan.originalClusterTypes().getOrDefault(c, "?"));
      boolean passthrough = type.filter(x -> x.equals("ORIGINAL_DST")).isPresent();
      return new Decision(
          flagged ? Outcome.AUDITED : passthrough ? Outcome.PASSTHROUGH : Outcome.FORWARDED,
          (passthrough ? "passthrough" : "forwarded")
              + " through cluster "
              + cluster.orElse("?")
              + ": "
              + how
              + (flagged ? ", logged as would-deny" : ""),
          Optional.of(listener),
          chain,
          Optional.empty(),
          cluster,
          type,
          OptionalInt.empty(),
          List.of(),
          waited);
    }

    Decision stop(Outcome outcome, String reason) {
      Optional<String> type = Optional.empty();
      return new Decision(
          outcome,
          reason,
          Optional.of(listener),
          chain,
          Optional.empty(),
          cluster,
          type,
          status,
          List.of(),
          waited);
    }
  }
}
