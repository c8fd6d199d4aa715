package dev.meshpassthrough.testkit.jqwik;

import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.internal.ConnectionPools;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for MeshPassthrough policies and connections, for property tests of policies
 * and of code that consumes them.
 *
 * <p>Values come from small pools that overlap on purpose (domains under one parent, nested CIDRs,
 * IPs inside them, a few shared ports), so that entries interact the way they do in real policies.
 * {@link #connectionsFor(PassthroughConf)} aims connections at a conf's own destinations and at
 * near misses. Every arbitrary is deterministic under jqwik's seed and shrinks.
 *
 * <pre>{@code
 * @Property(seed = "42")
 * void envoyDoesWhatThePolicySays(@ForAll("confs") PassthroughConf conf) { ... }
 *
 * @Provide
 * Arbitrary<PassthroughConf> confs() {
 *   return PassthroughArbitraries.confs();
 * }
 * }</pre>
 */
public final class PassthroughArbitraries {
  private static final int MAX_ENTRIES = 5;

  private PassthroughArbitraries() {}

  /**
   * Destinations from the pools: exact and wildcard domains, IPv4 and IPv6 addresses and networks.
   *
   * @return an arbitrary choosing one of a fixed pool of destinations, never null
   */
  public static Arbitrary<Destination> destinations() {
    List<Destination> all = new ArrayList<>();
    ConnectionPools.DOMAINS.forEach(d -> all.add(Destination.of(MatchType.DOMAIN, d)));
    ConnectionPools.WILDCARDS.forEach(d -> all.add(Destination.of(MatchType.DOMAIN, d)));
    ConnectionPools.IPS.forEach(ip -> all.add(Destination.of(MatchType.IP, ip)));
    ConnectionPools.CIDRS.forEach(cidr -> all.add(Destination.of(MatchType.CIDR, cidr)));
    return Arbitraries.of(all);
  }

  /**
   * Single entries valid on their own under strict validation: domains with {@code tls} or an L7
   * protocol (wildcards with L7 only on a port), IPs and CIDRs with any protocol ({@code mysql}
   * only on a port).
   *
   * @return an arbitrary of entries with or without a port, never null
   */
  public static Arbitrary<Match> matches() {
    List<Optional<Port>> portChoices = new ArrayList<>();
    portChoices.add(Optional.empty());
    ConnectionPools.PORTS.forEach(p -> portChoices.add(Optional.of(Port.of(p))));
    Arbitrary<Optional<Port>> ports = Arbitraries.of(portChoices);
    return Combinators.combine(destinations(), ports, Arbitraries.of(Protocol.class))
        .as(Match::new)
        .filter(PassthroughArbitraries::validAlone);
  }

  /**
   * Confs valid under strict validation for Kuma 2.x; see {@link #confs(ValidationOptions)}.
   *
   * @return an arbitrary of confs {@link ValidationOptions#defaults()} accepts, never null
   */
  public static Arbitrary<PassthroughConf> confs() {
    return confs(ValidationOptions.defaults());
  }

  /**
   * Confs that {@link PolicyValidator} accepts with {@code options}: mostly {@code Matched} (set or
   * left unset) with up to five entries, sometimes {@code All} or {@code None}.
   *
   * @param options the validation options the confs must pass, not null
   * @return an arbitrary of confs, each with distinct entries, without a validation error under
   *     {@code options}; never null
   * @throws NullPointerException when {@code options} is null
   */
  public static Arbitrary<PassthroughConf> confs(ValidationOptions options) {
    Objects.requireNonNull(options, "options");
    PolicyValidator validator = PolicyValidator.create(options);
    Arbitrary<Optional<PassthroughMode>> modes =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(Optional.of(PassthroughMode.MATCHED))),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Optional.<PassthroughMode>empty())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Optional.of(PassthroughMode.ALL))),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Optional.of(PassthroughMode.NONE))));
    Arbitrary<List<Match>> entries =
        matches().list().ofMinSize(0).ofMaxSize(MAX_ENTRIES).uniqueElements();
    return Combinators.combine(modes, entries)
        .as((mode, list) -> new PassthroughConf(mode, Optional.of(list)))
        .filter(conf -> validator.validate(document(conf)).isValid());
  }

  /**
   * Policies targeting the whole mesh, with {@link #confs()} as their {@code default}.
   *
   * @return an arbitrary of typed policies read from a bare spec, never null
   */
  public static Arbitrary<MeshPassthroughPolicy> policies() {
    PolicyValidator validator = PolicyValidator.create();
    return confs().map(conf -> validator.validate(document(conf)).orElseThrow());
  }

  /**
   * Connections of every kind between the pools' names, addresses and ports.
   *
   * @return an arbitrary of connections independent of any conf, never null
   */
  public static Arbitrary<Connection> connections() {
    return connectionsBetween(
        ConnectionPools.names(List.of()),
        ConnectionPools.addresses(List.of()),
        ConnectionPools.PORTS);
  }

  /**
   * Connections aimed at {@code conf}: its names (a wildcard's subdomains and apex), addresses
   * inside its IPs and CIDRs and its ports, mixed with names, addresses and ports it does not list,
   * of every kind (TLS with and without SNI, HTTP/1.0, HTTP/1.1, h2c, opaque bytes, server-first).
   *
   * @param conf the conf to aim at, not null
   * @return an arbitrary of connections, hits and near misses of {@code conf}; never null
   */
  public static Arbitrary<Connection> connectionsFor(PassthroughConf conf) {
    List<Integer> ports = new ArrayList<>(ConnectionPools.PORTS);
    conf.matches()
        .forEach(
            m -> m.port().map(Port::value).filter(p -> !ports.contains(p)).ifPresent(ports::add));
    return connectionsBetween(
        ConnectionPools.names(conf.matches()), ConnectionPools.addresses(conf.matches()), ports);
  }

  /**
   * Connections that send a name {@code conf} allows while dialing an address unrelated to it, what
   * {@code curl --resolve allowed.example.com:443:10.0.0.5} does and domain pinning protects
   * against. Each aims at one Domain entry: its name (an exact domain, a wildcard's subdomain or
   * deeper subdomain), a payload of its protocol (TLS with SNI, with or without ALPN, for {@code
   * tls}; HTTP/1.0, HTTP/1.1 or a Host with another port for {@code http}; h2c for {@code http2}
   * and {@code grpc}; any of these for {@code tcp} and {@code mysql}), its port or, for a port-less
   * entry, a port of the pools; dialing an address of the pools or of {@code conf}'s IPs and CIDRs
   * (so that IP and CIDR entries overlap), or a random IPv4 or IPv6 address. A conf without Domain
   * entries gets such connections for the pools' names.
   *
   * @param conf the conf whose names to send, not null
   * @return an arbitrary of connections, never null
   * @throws NullPointerException when {@code conf} is null
   */
  public static Arbitrary<Connection> spoofedConnectionsFor(PassthroughConf conf) {
    Objects.requireNonNull(conf, "conf");
    List<Match> domains =
        conf.matches().stream()
            .filter(m -> m.destination().matchType() == MatchType.DOMAIN)
            .toList();
    Arbitrary<Match> targets =
        domains.isEmpty()
            ? Combinators.combine(
                    Arbitraries.of(ConnectionPools.DOMAINS), Arbitraries.of(Protocol.class))
                .as(
                    (name, protocol) ->
                        new Match(
                            Destination.of(MatchType.DOMAIN, name), Optional.empty(), protocol))
            : Arbitraries.of(domains);
    Arbitrary<String> randomIpv4 =
        Arbitraries.integers()
            .between(1, 223)
            .list()
            .ofSize(4)
            .map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + (o.get(3) % 254 + 1));
    Arbitrary<String> randomIpv6 =
        Arbitraries.integers()
            .between(1, 0xffff)
            .list()
            .ofSize(2)
            .map(
                h ->
                    "2001:db8:"
                        + Integer.toHexString(h.get(0))
                        + "::"
                        + Integer.toHexString(h.get(1)));
    Arbitrary<String> addresses =
        Arbitraries.oneOf(
            Arbitraries.of(ConnectionPools.addresses(conf.matches())), randomIpv4, randomIpv6);
    return targets.flatMap(
        target ->
            Combinators.combine(
                    Arbitraries.of(spoofingKinds(target.protocol())),
                    Arbitraries.of(namesOf(target)),
                    addresses,
                    target
                        .port()
                        .map(p -> Arbitraries.just(p.value()))
                        .orElse(Arbitraries.of(ConnectionPools.PORTS)))
                .as(ConnectionPools::connection));
  }

  private static List<ConnectionPools.Kind> spoofingKinds(Protocol protocol) {
    List<ConnectionPools.Kind> tls =
        List.of(ConnectionPools.Kind.TLS_SNI, ConnectionPools.Kind.TLS_ALPN);
    List<ConnectionPools.Kind> http =
        List.of(
            ConnectionPools.Kind.HTTP_1_1,
            ConnectionPools.Kind.HTTP_1_0,
            ConnectionPools.Kind.HTTP_OTHER_HOST_PORT);
    return switch (protocol) {
      case TLS -> tls;
      case HTTP -> http;
      case HTTP2, GRPC -> List.of(ConnectionPools.Kind.H2C);
      case TCP, MYSQL -> {
        List<ConnectionPools.Kind> all = new ArrayList<>(tls);
        all.addAll(http);
        all.add(ConnectionPools.Kind.H2C);
        yield all;
      }
    };
  }

  private static List<String> namesOf(Match match) {
    if (match.destination() instanceof Destination.WildcardDomain wildcard) {
      return List.of("sub." + wildcard.parent(), "deep.sub." + wildcard.parent());
    }
    return List.of(match.destination().value());
  }

  private static Arbitrary<Connection> connectionsBetween(
      List<String> names, List<String> addresses, List<Integer> ports) {
    return Combinators.combine(
            Arbitraries.of(ConnectionPools.Kind.class),
            Arbitraries.of(names),
            Arbitraries.of(addresses),
            Arbitraries.of(ports))
        .as(ConnectionPools::connection);
  }

  private static boolean validAlone(Match match) {
    Destination destination = match.destination();
    boolean domain = destination.matchType() == MatchType.DOMAIN;
    if (domain && (match.protocol() == Protocol.TCP || match.protocol() == Protocol.MYSQL)) {
      return false;
    }
    if (match.protocol() == Protocol.MYSQL && match.port().isEmpty()) {
      return false;
    }
    return !(destination instanceof Destination.WildcardDomain
        && match.protocol().isLayer7()
        && match.port().isEmpty());
  }

  /** The conf as a bare-spec document, for the validator. */
  static PolicyDocument document(PassthroughConf conf) {
    Optional<List<WrittenMatch>> written =
        conf.appendMatch()
            .map(
                list ->
                    list.stream()
                        .map(
                            m ->
                                new WrittenMatch(
                                    Optional.of(m.type().wireName()),
                                    Optional.of(m.destination().value()),
                                    m.port().map(p -> BigInteger.valueOf(p.value())),
                                    Optional.of(m.protocol().wireName())))
                        .toList());
    WrittenConf writtenConf =
        new WrittenConf(conf.passthroughMode().map(PassthroughMode::wireName), written);
    return PolicyDocument.bareSpec(
        SourceLocation.of("generated"),
        new WrittenSpec(Optional.of(WrittenTargetRef.ofKind("Mesh")), Optional.of(writtenConf)));
  }
}
