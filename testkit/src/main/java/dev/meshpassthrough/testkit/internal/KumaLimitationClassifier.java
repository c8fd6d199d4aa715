package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.EnvoySimulator;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.KumaLimitation;
import dev.meshpassthrough.testkit.Verdict;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import java.util.List;
import java.util.Optional;

/**
 * Names the {@link KumaLimitation} behind a disagreement between intent and the simulated Envoy
 * under the kuma profile. Each limitation is recognised by a counterfactual: changed in the one
 * respect the limitation is about, the connection (or the policy, or the listeners) is decided as
 * the policy says. Checked in a fixed order; the first that explains the disagreement wins.
 */
public final class KumaLimitationClassifier {
  private final PassthroughConf conf;
  private final PassthroughTranslator translator;
  private final ProxyContext proxy;

  /** A classifier for {@code conf}, translated by {@code translator} for {@code proxy}. */
  public KumaLimitationClassifier(
      PassthroughConf conf, PassthroughTranslator translator, ProxyContext proxy) {
    this.conf = conf;
    this.translator = translator;
    this.proxy = proxy;
  }

  /**
   * The limitation that explains why Envoy does not do what {@code intent} says, if a known one
   * does. Limitations are tried in the order of {@link KumaLimitation}'s constants that follow,
   * each against every entry that covers the connection; the first that explains it wins.
   */
  public Optional<KumaLimitation> classify(
      Connection connection, Intent intent, Decision decision) {
    if (intent.verdict() != Verdict.ALLOW
        || decision.isAllowed()
        || conf.effectiveMode() != PassthroughMode.MATCHED) {
      return Optional.empty();
    }
    Connection.Payload payload = connection.payload();
    if (payload instanceof Connection.ServerFirst
        && decision.outcome() == Decision.Outcome.STALLED) {
      return Optional.of(KumaLimitation.SERVER_FIRST_STALLS);
    }
    List<Match> covering = intent.coveredBy();
    if (payload instanceof Connection.HttpRequest request
        && request.version() == Connection.HttpVersion.HTTP_1_0) {
      Connection http11 =
          withPayload(
              connection,
              new Connection.HttpRequest(Connection.HttpVersion.HTTP_1_1, request.host()));
      if (covering.stream()
          .anyMatch(e -> denies(List.of(e), connection) && allows(List.of(e), http11))) {
        return Optional.of(KumaLimitation.HTTP_1_0_REFUSED);
      }
    }
    if (payload instanceof Connection.HttpRequest request
        && request.host().filter(h -> !HttpStage.withoutPort(h).equals(h)).isPresent()) {
      Connection portless =
          withPayload(
              connection,
              new Connection.HttpRequest(
                  request.version(), request.host().map(HttpStage::withoutPort)));
      // A port-less domain is listed as host:* alone, but as host:<port> once another entry uses
      // the port.
      if (covering.stream()
              .anyMatch(e -> denies(List.of(e), connection) && allows(List.of(e), portless))
          || (denies(conf.matches(), connection) && allows(conf.matches(), portless))) {
        return Optional.of(KumaLimitation.HOST_PORT_NOT_LISTED);
      }
    }
    if (payload instanceof Connection.HttpRequest request && request.host().isEmpty()) {
      String address = connection.destinationText();
      Connection named =
          withPayload(
              connection,
              new Connection.HttpRequest(
                  request.version(),
                  java.util.Optional.of(
                      connection.family() == dev.meshpassthrough.core.model.IpFamily.IPV6
                          ? "[" + address + "]"
                          : address)));
      if (covering.stream()
          .anyMatch(e -> denies(List.of(e), connection) && allows(List.of(e), named))) {
        return Optional.of(KumaLimitation.HOSTLESS_REQUEST_REFUSED);
      }
    }
    if (covering.stream()
        .anyMatch(
            e ->
                allows(List.of(e), connection)
                    && conf.matches().stream()
                        .anyMatch(
                            f ->
                                moreSpecificOnPort(f, e, connection)
                                    && denies(List.of(e, f), connection)))) {
      return Optional.of(KumaLimitation.IP_BRANCH_HIDES_RULES);
    }
    if (payload instanceof Connection.TlsClientHello || payload instanceof Connection.HttpRequest) {
      List<Match> mysqlOnPort =
          conf.matches().stream()
              .filter(
                  m ->
                      m.protocol() == Protocol.MYSQL
                          && m.port()
                              .map(Port::value)
                              .filter(p -> p == connection.port())
                              .isPresent())
              .toList();
      if (!mysqlOnPort.isEmpty()
          && covering.stream()
              .anyMatch(
                  e ->
                      allows(List.of(e), connection)
                          && denies(with(e, mysqlOnPort), connection)
                          && allowsWithInspectorsAlwaysOn(with(e, mysqlOnPort), connection))) {
        return Optional.of(KumaLimitation.INSPECTORS_OFF_ON_MYSQL_PORT);
      }
    }
    if (payload instanceof Connection.TlsClientHello) {
      Connection opaque = withPayload(connection, new Connection.OpaqueBytes());
      if (covering.stream()
          .anyMatch(
              e ->
                  (e.protocol() == Protocol.TCP || e.protocol() == Protocol.MYSQL)
                      && denies(List.of(e), connection)
                      && allows(List.of(e), opaque))) {
        return Optional.of(KumaLimitation.TLS_ON_TCP_RULE);
      }
    }
    return Optional.empty();
  }

  /** Whether Envoy lets the connection through under a policy of {@code entries} alone. */
  private boolean allows(List<Match> entries, Connection connection) {
    return verdict(entries, connection, Inspectors.AS_CONFIGURED)
        .filter(v -> v == Verdict.ALLOW)
        .isPresent();
  }

  /** Whether Envoy refuses the connection under a policy of {@code entries} alone. */
  private boolean denies(List<Match> entries, Connection connection) {
    return verdict(entries, connection, Inspectors.AS_CONFIGURED)
        .filter(v -> v == Verdict.DENY)
        .isPresent();
  }

  /**
   * Whether Envoy lets the connection through under {@code entries}, once no listener filter is
   * ever disabled.
   */
  private boolean allowsWithInspectorsAlwaysOn(List<Match> entries, Connection connection) {
    return verdict(entries, connection, Inspectors.ALWAYS_ON)
        .filter(v -> v == Verdict.ALLOW)
        .isPresent();
  }

  /**
   * Envoy's verdict under a policy of {@code entries}; empty when that policy cannot be translated.
   */
  private Optional<Verdict> verdict(
      List<Match> entries, Connection connection, Inspectors inspectors) {
    TranslationResult translated;
    try {
      translated =
          translator.translate(PassthroughConf.of(PassthroughMode.MATCHED, entries), proxy);
    } catch (TranslationException e) {
      return Optional.empty();
    }
    List<Listener> listeners =
        inspectors == Inspectors.ALWAYS_ON
            ? translated.listeners().stream()
                .map(KumaLimitationClassifier::withoutFilterDisabled)
                .toList()
            : translated.listeners();
    return Optional.of(
        EnvoySimulator.of(listeners, translated.clusters()).simulate(connection).verdict());
  }

  private static List<Match> with(Match entry, List<Match> others) {
    List<Match> all = new java.util.ArrayList<>(others);
    all.remove(entry);
    all.add(0, entry);
    return all;
  }

  private static Listener withoutFilterDisabled(Listener listener) {
    Listener.Builder builder = listener.toBuilder().clearListenerFilters();
    for (ListenerFilter filter : listener.getListenerFiltersList()) {
      builder.addListenerFilters(filter.toBuilder().clearFilterDisabled());
    }
    return builder.build();
  }

  /**
   * Whether {@code other}, an IP or CIDR entry that applies on the connection's port, holds the
   * dialed address with a longer prefix than {@code entry} (a domain counts as /0): Envoy's legacy
   * selection then only looks under {@code other}'s prefix.
   */
  private static boolean moreSpecificOnPort(Match other, Match entry, Connection connection) {
    return !other.equals(entry)
        && other.port().map(Port::value).map(p -> p == connection.port()).orElse(true)
        && holds(other.destination(), connection)
        && prefixLength(other.destination()) > prefixLength(entry.destination());
  }

  private static boolean holds(Destination destination, Connection connection) {
    if (destination.family().filter(f -> f == connection.family()).isEmpty()) {
      return false;
    }
    if (destination instanceof Destination.Ip ip) {
      return ip.address().equals(connection.destination());
    }
    Destination.Cidr cidr = (Destination.Cidr) destination;
    return IpPrefix.of(cidr.networkText(), Optional.of(cidr.prefixLength()))
        .map(p -> p.contains(connection.destination()))
        .orElse(false);
  }

  private static int prefixLength(Destination destination) {
    if (destination instanceof Destination.Ip ip) {
      return ip.family().orElseThrow().bits();
    }
    if (destination instanceof Destination.Cidr cidr) {
      return cidr.prefixLength();
    }
    return 0;
  }

  private static Connection withPayload(Connection connection, Connection.Payload payload) {
    return new Connection(
        connection.destination(), connection.port(), payload, connection.source());
  }

  /** Whether listener filters keep their {@code filter_disabled} predicates in a counterfactual. */
  private enum Inspectors {
    AS_CONFIGURED,
    ALWAYS_ON
  }
}
