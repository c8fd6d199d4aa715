package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.MatchConflicts;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslatorOptions;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The resolver's {@link MatchConflicts} (core, no Envoy types) and the translator agree: a merged
 * conf has a conflict exactly when the translator refuses it, over entries built to collide
 * (spellings of one address, one name in two cases, port-less entries, every protocol).
 */
class ResolveTranslateAgreementTest {
  private static final PassthroughTranslator TRANSLATOR =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  @Provide
  Arbitrary<List<Match>> matches() {
    Arbitrary<Destination> destinations =
        Arbitraries.of(
                "Domain example.com",
                "Domain EXAMPLE.com",
                "Domain *.example.com",
                "Domain api.example.com",
                "IP 10.0.0.1",
                "IP 2001:db8::1",
                "IP 2001:0db8::1",
                "IP ::ffff:10.0.0.1",
                "CIDR 10.0.0.0/8",
                "CIDR 10.1.0.0/8",
                "CIDR 2001:db8::/32")
            .map(
                text -> {
                  String[] parts = text.split(" ");
                  return Destination.of(MatchType.fromWireName(parts[0]).orElseThrow(), parts[1]);
                });
    Arbitrary<Optional<Integer>> ports = Arbitraries.of(80, 443).optional(0.6);
    Arbitrary<Match> match =
        Combinators.combine(destinations, ports, Arbitraries.of(Protocol.class))
            .as(
                (d, p, protocol) ->
                    p.map(port -> Match.of(d, port, protocol))
                        .orElseGet(() -> Match.onEveryPort(d, protocol)));
    return match.list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 1500, seed = "7001")
  void aConflictIsFound_exactlyWhenTheTranslatorRefusesTheConf(
      @ForAll("matches") List<Match> matches) {
    boolean translates;
    try {
      TRANSLATOR.translate(PassthroughConf.of(PassthroughMode.MATCHED, matches), PROXY);
      translates = true;
    } catch (TranslationException e) {
      translates = false;
    }
    List<MatchConflicts.Conflict> conflicts = MatchConflicts.find(matches);
    Statistics.label("translates").collect(translates);
    Statistics.label("translates").coverage(c -> c.check(false).percentage(p -> p > 10));

    assertThat(conflicts.isEmpty())
        .as("conflicts %s for %s", conflicts, matches)
        .isEqualTo(translates);
  }
}
