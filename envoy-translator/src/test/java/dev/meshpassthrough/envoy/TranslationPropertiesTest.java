package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Laws of translation over generated confs (unvalidated, so that conflicting entries occur): either
 * a {@link TranslationException}, or an output that passes the acceptance check; and the same
 * either way whatever the order of {@code appendMatch}.
 */
class TranslationPropertiesTest {
  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  @Property(tries = 300, seed = "20260101")
  void everyOutput_isAcceptable_andIndependentOfEntryOrder(
      @ForAll("confs") List<Match> matches, @ForAll long shuffleSeed) {
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, matches);
    List<Match> shuffled = new ArrayList<>(matches);
    Collections.shuffle(shuffled, new Random(shuffleSeed));
    PassthroughConf reordered = PassthroughConf.of(PassthroughMode.MATCHED, shuffled);

    TranslationException failure =
        catchThrowableOfType(TranslationException.class, () -> TRANSLATOR.translate(conf, PROXY));
    TranslationException reorderedFailure =
        catchThrowableOfType(
            TranslationException.class, () -> TRANSLATOR.translate(reordered, PROXY));

    assertThat(reorderedFailure == null).isEqualTo(failure == null);
    Statistics.label("outcome").collect(failure == null ? "translated" : "rejected");
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("translated").percentage(p -> p > 25);
              c.check("rejected").percentage(p -> p > 5);
            });
    if (failure == null) {
      TranslationResult result =
          ChainInvariants.assertAcceptable(TRANSLATOR.translate(conf, PROXY));
      assertThat(TRANSLATOR.translate(reordered, PROXY).toJson()).isEqualTo(result.toJson());
    } else {
      assertThat(reorderedFailure.messages()).hasSameSizeAs(failure.messages());
    }
  }

  @Provide
  Arbitrary<List<Match>> confs() {
    Arbitrary<Destination> destinations =
        Arbitraries.of(
            Destination.of(MatchType.DOMAIN, "api.example.com"),
            Destination.of(MatchType.DOMAIN, "example.com"),
            Destination.of(MatchType.DOMAIN, "*.example.com"),
            Destination.of(MatchType.IP, "10.0.0.1"),
            Destination.of(MatchType.IP, "10.0.0.2"),
            Destination.of(MatchType.IP, "fd00::1"),
            Destination.of(MatchType.CIDR, "10.0.0.0/8"),
            Destination.of(MatchType.CIDR, "10.1.0.0/16"),
            Destination.of(MatchType.CIDR, "fd00::/64"));
    Arbitrary<Optional<Port>> ports =
        Arbitraries.of(
            Optional.empty(),
            Optional.of(Port.of(80)),
            Optional.of(Port.of(443)),
            Optional.of(Port.of(3306)),
            Optional.of(Port.of(8080)));
    Arbitrary<Protocol> protocols = Arbitraries.of(Protocol.class);
    Arbitrary<Match> match = Combinators.combine(destinations, ports, protocols).as(Match::new);
    return match.list().ofMinSize(1).ofMaxSize(8).uniqueElements();
  }
}
