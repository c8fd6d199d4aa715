package dev.meshpassthrough.testkit.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.diff.EgressClass;
import dev.meshpassthrough.core.diff.EgressDiff;
import dev.meshpassthrough.core.diff.NoEffectEntry;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.internal.ConnectionPools;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import net.jqwik.api.statistics.Statistics;

/**
 * The promise of {@link EgressDiff}: for any two confs and any connection, the connection's intent
 * differs between them exactly when it is in a reported class, on the side that allows it; and an
 * entry is listed without effect exactly when removing it changes nothing.
 *
 * <p>Confs are not validated, so that what validation rejects (a Domain with {@code tcp}) and
 * corner values ({@code 0.0.0.0/0}, {@code ::/0}, an IPv4-mapped IPv6 address, host bits, mixed
 * case) are compared too. Connections are aimed at the names, networks (first, last and next
 * address) and ports of both confs.
 */
class EgressDiffPropertiesTest {
  private static final List<String> EXTRA_DESTINATIONS =
      List.of(
          "Domain:API.Example.com",
          "Domain:*.api.example.com",
          "Domain:b.example.com",
          "IP:::ffff:10.0.0.1",
          "CIDR:0.0.0.0/0",
          "CIDR:::/0",
          "CIDR:10.1.2.3/8",
          "CIDR:10.0.0.0/9",
          "CIDR:10.128.0.0/9",
          "CIDR:2001:db8::/33");

  @Property(tries = 1500, seed = "20261205")
  void intentDiffers_exactlyInAReportedClass_onTheRightSide(
      @ForAll("pairsAndConnections")
          Tuple3<PassthroughConf, PassthroughConf, List<Connection>> sample) {
    PassthroughConf oldConf = sample.get1();
    PassthroughConf newConf = sample.get2();
    EgressDiff diff = EgressDiff.between(oldConf, newConf);
    Statistics.label("unchanged").collect(diff.unchanged());
    PolicyIntent before = PolicyIntent.of(oldConf);
    PolicyIntent after = PolicyIntent.of(newConf);
    for (Connection connection : sample.get3()) {
      boolean allowedBefore = before.judge(connection).isAllowed();
      boolean allowedAfter = after.judge(connection).isAllowed();
      long widenedIn = count(diff.widened(), connection);
      long narrowedIn = count(diff.narrowed(), connection);
      Statistics.label("connection")
          .collect(widenedIn > 0 ? "widened" : narrowedIn > 0 ? "narrowed" : "same");
      String context =
          "%s%nold %s%nnew %s%ndiff widened %s%nnarrowed %s"
              .formatted(connection, oldConf, newConf, diff.widened(), diff.narrowed());
      assertThat(widenedIn).as("widened classes holding " + context).isLessThanOrEqualTo(1);
      assertThat(narrowedIn).as("narrowed classes holding " + context).isLessThanOrEqualTo(1);
      assertThat(widenedIn == 1)
          .as("widened? " + context)
          .isEqualTo(allowedAfter && !allowedBefore);
      assertThat(narrowedIn == 1)
          .as("narrowed? " + context)
          .isEqualTo(allowedBefore && !allowedAfter);
    }
  }

  @Property(tries = 1000, seed = "20261208")
  void everyWitnessOfAReportedClass_differs_onTheClassSide(
      @ForAll("pairsAndConnections")
          Tuple3<PassthroughConf, PassthroughConf, List<Connection>> sample) {
    EgressDiff diff = EgressDiff.between(sample.get1(), sample.get2());
    PolicyIntent before = PolicyIntent.of(sample.get1());
    PolicyIntent after = PolicyIntent.of(sample.get2());
    for (EgressClass widened : diff.widened()) {
      List<Connection> witnesses = Witnesses.of(widened);
      Statistics.label("witnessed").collect(!witnesses.isEmpty());
      for (Connection connection : witnesses) {
        assertThat(
                List.of(before.judge(connection).isAllowed(), after.judge(connection).isAllowed()))
            .as(
                "%s in widened %s%nold %s%nnew %s",
                connection, widened, sample.get1(), sample.get2())
            .containsExactly(false, true);
      }
    }
    for (EgressClass narrowed : diff.narrowed()) {
      for (Connection connection : Witnesses.of(narrowed)) {
        assertThat(
                List.of(before.judge(connection).isAllowed(), after.judge(connection).isAllowed()))
            .as(
                "%s in narrowed %s%nold %s%nnew %s",
                connection, narrowed, sample.get1(), sample.get2())
            .containsExactly(true, false);
      }
    }
  }

  @Property(tries = 1000, seed = "20261206")
  void entryIsListedWithoutEffect_exactlyWhenRemovingItChangesNoConnection(
      @ForAll("pairsAndConnections")
          Tuple3<PassthroughConf, PassthroughConf, List<Connection>> sample) {
    PassthroughConf conf = sample.get2();
    EgressDiff diff = EgressDiff.between(sample.get1(), conf);
    PolicyIntent intent = PolicyIntent.of(conf);
    for (int i = 0; i < conf.matches().size(); i++) {
      int index = i;
      boolean listed =
          diff.noEffect().stream()
              .anyMatch(e -> e.side() == NoEffectEntry.Side.NEW && e.index() == index);
      PassthroughConf without = withoutEntry(conf, index);
      Statistics.label("no effect").collect(listed);
      assertThat(EgressDiff.between(conf, without).unchanged())
          .as("entry %d of %s listed %s", index, conf, listed)
          .isEqualTo(listed);
      if (listed) {
        PolicyIntent reduced = PolicyIntent.of(without);
        for (Connection connection : sample.get3()) {
          assertThat(reduced.judge(connection).verdict())
              .as("%s without entry %d of %s", connection, index, conf)
              .isEqualTo(intent.judge(connection).verdict());
        }
      }
    }
  }

  @Property(tries = 200, seed = "20261207")
  void equalInputs_giveEqualDiffs_andSwappingSidesSwapsTheLists(
      @ForAll("pairsAndConnections")
          Tuple3<PassthroughConf, PassthroughConf, List<Connection>> sample) {
    EgressDiff diff = EgressDiff.between(sample.get1(), sample.get2());
    assertThat(EgressDiff.between(sample.get1(), sample.get2())).isEqualTo(diff);
    EgressDiff swapped = EgressDiff.between(sample.get2(), sample.get1());
    assertThat(swapped.widened()).isEqualTo(diff.narrowed());
    assertThat(swapped.narrowed()).isEqualTo(diff.widened());
    assertThat(EgressDiff.between(sample.get1(), sample.get1()).unchanged()).isTrue();
  }

  private static long count(List<EgressClass> classes, Connection connection) {
    return classes.stream().filter(c -> ClassMembership.contains(c, connection)).count();
  }

  private static PassthroughConf withoutEntry(PassthroughConf conf, int index) {
    List<Match> rest = new ArrayList<>(conf.matches());
    rest.remove(index);
    return new PassthroughConf(conf.passthroughMode(), Optional.of(rest));
  }

  @Provide
  Arbitrary<Tuple3<PassthroughConf, PassthroughConf, List<Connection>>> pairsAndConnections() {
    return confs()
        .flatMap(
            oldConf ->
                Arbitraries.frequencyOf(Tuple.of(1, confs()), Tuple.of(3, changed(oldConf)))
                    .flatMap(
                        newConf ->
                            connections(oldConf, newConf)
                                .list()
                                .ofSize(40)
                                .map(c -> Tuple.of(oldConf, newConf, c))));
  }

  /** Confs of any entries, valid or not, mostly {@code Matched}. */
  private static Arbitrary<PassthroughConf> confs() {
    Arbitrary<Optional<PassthroughMode>> modes =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(Optional.of(PassthroughMode.MATCHED))),
            Tuple.of(2, Arbitraries.just(Optional.<PassthroughMode>empty())),
            Tuple.of(1, Arbitraries.just(Optional.of(PassthroughMode.ALL))),
            Tuple.of(1, Arbitraries.just(Optional.of(PassthroughMode.NONE))));
    return Combinators.combine(modes, matches().list().ofMaxSize(6))
        .as((mode, list) -> new PassthroughConf(mode, Optional.of(list)));
  }

  /** {@code conf} with an entry added or removed, or another mode. */
  private static Arbitrary<PassthroughConf> changed(PassthroughConf conf) {
    List<Match> entries = conf.matches();
    Arbitrary<PassthroughConf> added =
        matches()
            .map(
                m -> {
                  List<Match> more = new ArrayList<>(entries);
                  more.add(m);
                  return new PassthroughConf(conf.passthroughMode(), Optional.of(more));
                });
    Arbitrary<PassthroughConf> moded =
        Arbitraries.of(PassthroughMode.class)
            .map(m -> new PassthroughConf(Optional.of(m), conf.appendMatch()));
    if (entries.isEmpty()) {
      return Arbitraries.oneOf(added, moded);
    }
    Arbitrary<PassthroughConf> removed =
        Arbitraries.integers().between(0, entries.size() - 1).map(i -> withoutEntry(conf, i));
    return Arbitraries.oneOf(added, moded, removed);
  }

  private static Arbitrary<Match> matches() {
    List<Destination> extras = new ArrayList<>();
    for (String spec : EXTRA_DESTINATIONS) {
      int colon = spec.indexOf(':');
      extras.add(
          Destination.of(
              MatchType.valueOf(spec.substring(0, colon).toUpperCase(java.util.Locale.ROOT)),
              spec.substring(colon + 1)));
    }
    Arbitrary<Destination> destinations =
        Arbitraries.frequencyOf(
            Tuple.of(4, PassthroughArbitraries.destinations()),
            Tuple.of(1, Arbitraries.of(extras)));
    List<Optional<Port>> ports = new ArrayList<>();
    ports.add(Optional.empty());
    ConnectionPools.PORTS.forEach(p -> ports.add(Optional.of(Port.of(p))));
    return Combinators.combine(destinations, Arbitraries.of(ports), Arbitraries.of(Protocol.class))
        .as(Match::new);
  }

  /** Connections of every kind to the names, addresses and ports of both confs and the pools. */
  private static Arbitrary<Connection> connections(
      PassthroughConf oldConf, PassthroughConf newConf) {
    List<Match> both = new ArrayList<>(oldConf.matches());
    both.addAll(newConf.matches());
    Set<String> names = new LinkedHashSet<>(ConnectionPools.names(both));
    names.add("x.api.example.com");
    names.add(".example.com");
    Set<String> addresses = new LinkedHashSet<>(ConnectionPools.addresses(both));
    for (Match match : both) {
      match
          .destination()
          .ipNetwork()
          .ifPresent(
              n -> {
                // First and last address, and the ones just outside.
                addresses.addAll(Witnesses.edges(n, 0));
                addresses.addAll(Witnesses.edges(n, 1));
              });
    }
    List<Integer> ports = new ArrayList<>(ConnectionPools.PORTS);
    ports.add(8443);
    return Combinators.combine(
            Arbitraries.of(ConnectionPools.Kind.class),
            Arbitraries.of(List.copyOf(names)),
            Arbitraries.of(List.copyOf(addresses)),
            Arbitraries.of(ports))
        .as(ConnectionPools::connection);
  }
}
