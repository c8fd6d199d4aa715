package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InternetDomainName;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.Verdict;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The four properties of a suggestion, over connection sets from the testkit's generators (every
 * kind: TLS with and without SNI, HTTP/1.0 and 1.1 with and without Host, Host with another port,
 * h2c, opaque bytes, server-first) mixed with TLS to names under public suffixes.
 */
class PolicySuggesterPropertiesTest {
  private static final List<String> SUFFIX_TRAPS =
      List.of(
          "a.github.io",
          "b.github.io",
          "c.github.io",
          "one.com",
          "two.com",
          "three.com",
          "x.co.uk",
          "y.co.uk",
          "z.co.uk",
          "a.svc.cluster.local",
          "b.svc.cluster.local",
          "localhost");

  @Property(tries = 300, seed = "1717")
  void suggestion_validatesStrictly_allowsEveryKeptConnection_andIsDeterministic(
      @ForAll("connectionSets") List<ConnectionClass> connections,
      @ForAll("options") PolicySuggester.Options options) {
    PolicySuggester.Suggestion suggestion = suggest(connections, options);
    String text = text(suggestion);

    // (1) parses and validates strictly, without even a warning
    assertThat(SuggestionDocument.violations(text)).isEmpty();
    assertThat(
            PolicyValidator.create(new ValidationOptions(KumaLine.V3))
                .validate(PolicyParser.create().parse(text, "suggestion").documents().get(0))
                .violations())
        .as("Kuma 3.x")
        .isEmpty();
    PassthroughConf conf = readBack(text);
    assertThat(conf.matches()).isEqualTo(suggestion.conf().matches());

    // (2) the exact profile forwards every connection whose entry was kept
    Set<Match> leftOut =
        suggestion.leftOut().stream()
            .map(PolicySuggester.LeftOut::entry)
            .collect(Collectors.toSet());
    if (!conf.matches().isEmpty()) {
      ReplayEngine engine =
          ReplayEngine.of(
              PolicySimulation.translate(
                  conf, TranslationProfile.EXACT, ProxyContext.defaultTransparentProxy()));
      connections.stream()
          .filter(c -> !leftOut.contains(PolicySuggester.entryFor(c)))
          .forEach(engine::accept);
      assertThat(engine.results())
          .allSatisfy(
              r ->
                  assertThat(r.decision().envoy())
                      .as("%s under\n%s", r.connection(), text)
                      .isEqualTo(Verdict.ALLOW));
    }

    // (3) no wildcard of a public suffix, nor of a parent outside one
    for (Match match : conf.matches()) {
      if (match.destination() instanceof Destination.WildcardDomain wildcard) {
        assertThat(InternetDomainName.from(wildcard.parent()).isUnderPublicSuffix())
            .as(wildcard.value())
            .isTrue();
      }
    }

    // (4) the same bytes again, whatever the order of the lines
    List<ConnectionClass> shuffled = new ArrayList<>(connections);
    Collections.shuffle(shuffled, new Random(connections.size()));
    assertThat(text(suggest(shuffled, options))).isEqualTo(text);
  }

  private static PolicySuggester.Suggestion suggest(
      List<ConnectionClass> connections, PolicySuggester.Options options) {
    PolicySuggester suggester = PolicySuggester.of(options);
    connections.forEach(suggester::accept);
    return suggester.suggest();
  }

  private static String text(PolicySuggester.Suggestion suggestion) {
    return new SuggestionDocument("suggested", "default", SuggestionDocument.Shape.universal)
        .text(suggestion.conf().matches(), List.of("generated"), OutputFormat.yaml);
  }

  private static PassthroughConf readBack(String text) {
    return PolicyValidator.create()
        .validate(PolicyParser.create().parse(text, "suggestion").documents().get(0))
        .orElseThrow()
        .conf();
  }

  @Provide
  Arbitrary<List<ConnectionClass>> connectionSets() {
    Arbitrary<ConnectionClass> generated =
        Combinators.combine(PassthroughArbitraries.connections(), Arbitraries.of(true, false))
            .as(PolicySuggesterPropertiesTest::classOf);
    Arbitrary<ConnectionClass> traps =
        Combinators.combine(
                Arbitraries.of(SUFFIX_TRAPS),
                Arbitraries.of(Protocol.TLS, Protocol.HTTP),
                Arbitraries.of("192.0.2.1", "192.0.2.2", "2001:db8::1"),
                Arbitraries.of(443, 8080))
            .as(
                (name, protocol, ip, port) ->
                    ConnectionClass.of(
                        protocol, CsvFormat.ip(ip).orElseThrow(), port, Optional.of(name)));
    return Arbitraries.frequencyOf(Tuple.of(4, generated), Tuple.of(1, traps))
        .list()
        .ofMinSize(1)
        .ofMaxSize(25);
  }

  @Provide
  Arbitrary<PolicySuggester.Options> options() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(2, 4).injectNull(0.5),
            Arbitraries.integers().between(8, 32).injectNull(0.5),
            Arbitraries.integers().between(32, 128).injectNull(0.5))
        .as(
            (min, k, v4, v6) ->
                new PolicySuggester.Options(min, optional(k), optional(v4), optional(v6)));
  }

  private static OptionalInt optional(Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  /** The class of a generated connection; h2c is {@code http2} or {@code grpc}. */
  private static ConnectionClass classOf(Connection c, boolean grpc) {
    Protocol protocol;
    Optional<String> name = Optional.empty();
    Connection.HttpVersion version = Connection.HttpVersion.HTTP_1_1;
    if (c.payload() instanceof Connection.TlsClientHello hello) {
      protocol = Protocol.TLS;
      name = hello.serverName();
    } else if (c.payload() instanceof Connection.HttpRequest request) {
      name = request.host();
      if (request.version() == Connection.HttpVersion.H2C) {
        protocol = grpc ? Protocol.GRPC : Protocol.HTTP2;
      } else {
        protocol = Protocol.HTTP;
        version = request.version();
      }
    } else if (c.payload() instanceof Connection.ServerFirst) {
      protocol = Protocol.MYSQL;
    } else {
      protocol = Protocol.TCP;
    }
    return ConnectionClass.of(protocol, c.destination(), c.port(), name, version);
  }
}
