package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Intent;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.Upstream;
import dev.meshpassthrough.validation.PolicyValidator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Domain pinning on a real Envoy 1.40: the exact profile's translation of one policy (Domain
 * entries exact with and without a port, TLS and HTTP; wildcard with and without a port for TLS,
 * with one for HTTP, where Kuma requires it; and an IP entry) under each {@link DomainPinning} and
 * both encodings, judged by the pinning probe ({@link RealEnvoy#startPinning}). Its addresses
 * ({@code 127.0.4.0/24}, {@code 127.0.5.0/24}) are its own, so that its sinks never meet another
 * test class's. Every name resolves, through the probe's own DNS responder, to its own loopback
 * address, where a sink listens on the entry's port.
 *
 * <p>Each Domain entry is tried by an <b>honest</b> connection (it dials the address the name
 * resolves to) and a <b>spoofed</b> one (same SNI or Host, dialing {@value #SPOOFED}, where another
 * sink listens). Where it ends is what the pinning means: {@code off}, the dialed address; {@code
 * dns}, the name for an exact Domain entry with a port and the dialed address for the others;
 * {@code dynamic}, the name for every Domain entry, on the dialed port (an HTTP Host naming another
 * port included). IP entries keep the dialed address. The real Envoy must also decide as the
 * simulator does (outcome, listener, chain, cluster) and allow what the policy means to allow.
 *
 * <p>The expected upstreams are written here from that rule, and the upstream the real Envoy
 * reached must also be one of those {@link PolicyIntent#of(PassthroughConf, DomainPinning)} lists,
 * and the simulator's when it reports one.
 */
class RealEnvoyPinningTest {
  static final String SPOOFED = "127.0.4.3";

  private static final String POLICY =
      """
      apiVersion: kuma.io/v1alpha1
      kind: MeshPassthrough
      metadata:
        name: pinning
        namespace: kuma-system
        labels:
          kuma.io/mesh: default
      spec:
        targetRef:
          kind: Mesh
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.test, port: 18443, protocol: tls}
          - {type: Domain, value: bare.test, protocol: tls}
          - {type: Domain, value: "*.wild.test", protocol: tls}
          - {type: Domain, value: "*.wport.test", port: 18444, protocol: tls}
          - {type: Domain, value: web.test, port: 18080, protocol: http}
          - {type: Domain, value: "*.wweb.test", port: 18081, protocol: http}
          - {type: Domain, value: plain.test, protocol: http}
          - {type: IP, value: 127.0.4.5, port: 18090, protocol: tcp}
      """;

  /** One Domain entry's probe: the name the client sends, where it resolves, the dialed port. */
  record Probe(String name, String address, int port, boolean tls, boolean pinnedByDns) {}

  static final List<Probe> PROBES =
      List.of(
          new Probe("api.test", "127.0.5.1", 18443, true, true),
          new Probe("bare.test", "127.0.5.2", 18446, true, false),
          new Probe("a.wild.test", "127.0.5.3", 18447, true, false),
          new Probe("a.wport.test", "127.0.5.4", 18444, true, false),
          new Probe("web.test", "127.0.5.5", 18080, false, true),
          new Probe("a.wweb.test", "127.0.5.6", 18081, false, false),
          new Probe("plain.test", "127.0.5.7", 18082, false, false));

  static final String IP_ENTRY = "127.0.4.5";
  static final int IP_PORT = 18090;

  /** The HTTP connection whose Host names another port than the one dialed. */
  static final String OTHER_PORT_HOST = "web.test:18443";

  private static RealEnvoy envoy;
  private static final java.util.concurrent.atomic.AtomicLong CONNECTIONS =
      new java.util.concurrent.atomic.AtomicLong();

  static PinningProbe world() {
    Map<String, InetAddress> names = new LinkedHashMap<>();
    Set<InetSocketAddress> sinks = new LinkedHashSet<>();
    for (Probe probe : PROBES) {
      names.put(probe.name(), InetAddresses.forString(probe.address()));
      sinks.add(new InetSocketAddress(probe.address(), probe.port()));
      sinks.add(new InetSocketAddress(SPOOFED, probe.port()));
    }
    sinks.add(new InetSocketAddress(IP_ENTRY, IP_PORT));
    return new PinningProbe(names, List.copyOf(sinks));
  }

  @BeforeAll
  static void start() {
    if (SharedRealEnvoy.skipped()) {
      org.junit.jupiter.api.Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    envoy = RealEnvoy.startPinning(world());
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      long pid = envoy.pid();
      envoy.close();
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      System.err.printf(
          "real-Envoy pinning: %d connections judged by real Envoy, simulator and rule%n",
          CONNECTIONS.get());
    }
  }

  static PassthroughConf conf() {
    return PolicyValidator.create()
        .validate(PolicyParser.create().parse(POLICY, "pinning.yaml").documents().get(0))
        .orElseThrow()
        .conf();
  }

  static Stream<Arguments> configurations() {
    return Stream.of(DomainPinning.values())
        .flatMap(p -> Stream.of(Encoding.values()).map(e -> Arguments.of(p, e)));
  }

  /** A connection and where the pinning rule says it must end. */
  record Expected(Connection connection, Upstream upstream) {}

  static List<Expected> expectations(DomainPinning pinning) {
    List<Expected> expected = new ArrayList<>();
    for (Probe probe : PROBES) {
      for (String dialed : List.of(probe.address(), SPOOFED)) {
        Connection connection =
            (probe.tls()
                    ? Connection.tls(probe.name(), probe.port())
                    : Connection.http(probe.name(), probe.port()))
                .dialing(dialed);
        expected.add(new Expected(connection, upstream(pinning, probe, dialed)));
      }
    }
    Probe web = PROBES.get(4);
    Connection otherPort =
        new Connection(
            InetAddresses.forString(SPOOFED),
            web.port(),
            new Connection.HttpRequest(
                Connection.HttpVersion.HTTP_1_1, Optional.of(OTHER_PORT_HOST)),
            Optional.empty());
    expected.add(new Expected(otherPort, upstream(pinning, web, SPOOFED)));
    expected.add(
        new Expected(Connection.tcp(IP_ENTRY, IP_PORT), Upstream.dialed(IP_ENTRY, IP_PORT)));
    return expected;
  }

  /** The pinning rule of {@link DomainPinning}, for a Domain entry's connection. */
  static Upstream upstream(DomainPinning pinning, Probe probe, String dialed) {
    return switch (pinning) {
      case OFF -> Upstream.dialed(dialed, probe.port());
      case DNS ->
          probe.pinnedByDns()
              ? Upstream.dnsName(probe.name(), probe.port())
              : Upstream.dialed(dialed, probe.port());
      case DYNAMIC -> Upstream.dnsName(probe.name(), probe.port());
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("configurations")
  void honestAndSpoofedConnections_endWhereThePinningSays_asTheSimulatorDecides(
      DomainPinning pinning, Encoding encoding) {
    PassthroughConf conf = conf();
    int queriesBefore = envoy.dnsQueries().size();
    TranslationResult resources =
        PassthroughTranslator.create(
                TranslatorOptions.defaults().withEncoding(encoding).withDomainPinning(pinning))
            .translate(conf, ProxyContext.defaultTransparentProxy());
    LoadResult loaded = envoy.load(resources);
    assertThat(loaded.accepted()).as("%s\n%s", loaded, envoy.logTail()).isTrue();
    PolicySimulation simulation = PolicySimulation.of(conf, resources);
    PolicyIntent intent = PolicyIntent.of(conf, pinning);
    List<Expected> expected = expectations(pinning);
    List<Decision> decisions =
        envoy.decideAll(expected.stream().map(Expected::connection).toList());
    CONNECTIONS.addAndGet(expected.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      Connection connection = expected.get(i).connection();
      Decision real = decisions.get(i);
      Decision simulated = simulation.simulate(connection);
      if (!real.isAllowed() || !real.upstream().equals(Optional.of(expected.get(i).upstream()))) {
        failures.add(
            connection
                + ": real Envoy "
                + real
                + " upstream "
                + real.upstream()
                + ", the pinning means "
                + expected.get(i).upstream());
      }
      DecisionComparison.difference(real, simulated)
          .ifPresent(d -> failures.add(connection + ": real Envoy and simulator differ: " + d));
      if (simulated.upstream().isPresent() && !simulated.upstream().equals(real.upstream())) {
        failures.add(
            connection + ": simulator upstream " + simulated.upstream() + " != " + real.upstream());
      }
      Intent meant = intent.judge(connection);
      if (meant.verdict() != real.verdict()
          || real.upstream().isEmpty()
          || !meant.upstreams().contains(real.upstream().get())) {
        failures.add(
            connection
                + ": real Envoy reached "
                + real.upstream()
                + " but the policy under "
                + pinning
                + " means "
                + meant
                + " "
                + meant.upstreams());
      }
    }
    assertThat(failures).as("%s %s", pinning, encoding).isEmpty();
    // Lookups go to the responder, for the names the clients sent or the entries name, only.
    List<PinningProbe.DnsQuery> all = envoy.dnsQueries();
    Set<String> names = envoy.pinningProbe().orElseThrow().names().keySet();
    assertThat(all)
        .extracting(PinningProbe.DnsQuery::name)
        .allSatisfy(n -> assertThat(names).contains(n));
    List<String> asked =
        all.subList(queriesBefore, all.size()).stream().map(PinningProbe.DnsQuery::name).toList();
    switch (pinning) {
      // OFF and DNS run before DYNAMIC (the order of configurations()), so no dynamic forward
      // proxy of an earlier load is still resolving.
      case OFF -> assertThat(asked).as("off asks nothing").isEmpty();
      case DNS ->
          assertThat(asked)
              .as("dns asks for the exact Domain entries with a port only")
              .contains("api.test", "web.test")
              .containsOnly("api.test", "web.test");
      case DYNAMIC ->
          assertThat(all)
              .extracting(PinningProbe.DnsQuery::name)
              .as("dynamic asks for every name a client sent")
              .containsAll(PROBES.stream().map(Probe::name).toList());
    }
  }

  /**
   * A proxy whose IPv6 support changes moves its dynamic forward proxies to a DNS cache of another
   * name (P7: a running Envoy refuses a known cache name with other settings), so the same running
   * Envoy takes the IPv4-only proxy's translation after the dual-stack one's, and back, and the
   * connection is still pinned.
   */
  @Test
  void aProxyChangingFamily_isTakenByTheRunningEnvoy_underDynamicPinning() throws Exception {
    PassthroughConf conf = conf();
    PassthroughTranslator dynamic =
        PassthroughTranslator.create(
            TranslatorOptions.defaults().withDomainPinning(DomainPinning.DYNAMIC));
    ProxyContext dualStack = ProxyContext.defaultTransparentProxy();
    // The same proxy with an IPv4-only transparent proxy: names resolve to IPv4 only.
    ProxyContext ipv4 =
        new ProxyContext(
            dualStack.dataplaneAddress(),
            Optional.of(
                new ProxyContext.TransparentProxy(15001, 15006, ProxyContext.IpFamilyMode.IPV4)),
            false,
            dualStack.features(),
            dualStack.internalAddresses(),
            dualStack.listeners(),
            dualStack.clusters());
    assertThat(ipv4.dataplaneIpv6()).isFalse();
    Probe api = PROBES.get(0);
    Connection spoofed = Connection.tls(api.name(), api.port()).dialing(SPOOFED);
    for (ProxyContext proxy : List.of(dualStack, ipv4, dualStack)) {
      LoadResult loaded = envoy.load(dynamic.translate(conf, proxy));
      assertThat(loaded.accepted()).as("%s\n%s", loaded, envoy.logTail()).isTrue();
      Decision decision = envoy.decide(spoofed);
      assertThat(decision.upstream())
          .as("%s under %s\n%s", decision, proxy.dataplaneAddress(), envoy.logTail())
          .contains(Upstream.dnsName(api.name(), api.port()));
    }
  }
}
