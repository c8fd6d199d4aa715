package dev.meshpassthrough.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.xds.UpdateReport;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** Each benchmark's setup works and each method runs once at the smallest size. No timing. */
class BenchmarkSetupTest {
  private static final Blackhole SINK =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @Test
  void generatedPolicies_areStrictlyValid_deterministic_andWithoutDuplicates() {
    for (int size : List.of(10, 100, 1_000)) {
      List<Match> matches = PolicyMix.matches(size);
      assertThat(matches).hasSize(size).isEqualTo(PolicyMix.matches(size));
      assertThat(new HashSet<>(matches)).hasSize(size);
      assertThat(Fixtures.conf(size).matches()).containsExactlyElementsOf(matches);
    }
  }

  @Test
  void theMix_hasEveryProtocolAndAboutTheAdvertisedShares() {
    List<Match> matches = PolicyMix.matches(1_000);
    assertThat(matches.stream().map(Match::protocol).distinct()).hasSize(6);
    assertThat(matches.stream().filter(m -> m.type().wireName().equals("Domain")).count())
        .isEqualTo(600);
    assertThat(matches.stream().filter(m -> m.type().wireName().equals("IP")).count())
        .isEqualTo(250);
    assertThat(matches.stream().filter(m -> m.type().wireName().equals("CIDR")).count())
        .isEqualTo(150);
  }

  @Test
  void translateBenchmark_runsForEveryVariant() throws Exception {
    for (Variant variant : Variant.values()) {
      TranslateBenchmark benchmark = new TranslateBenchmark();
      benchmark.entries = 10;
      benchmark.variant = variant;
      benchmark.setUp();
      assertThat(benchmark.translate()).isEqualTo(benchmark.result());
      benchmark.parseOutput(SINK);
      benchmark.serializeOutput(SINK);
      benchmark.buildFloor(SINK);
    }
  }

  @Test
  void printBenchmark_printsTheTranslationForEveryVariant() throws Exception {
    for (Variant variant : Variant.values()) {
      PrintBenchmark benchmark = new PrintBenchmark();
      benchmark.entries = 10;
      benchmark.variant = variant;
      benchmark.setUp();
      assertThat(benchmark.translate().listeners()).isNotEmpty();
      // The JSON document is longer than its YAML (braces, quotes), and both hold something.
      assertThat(benchmark.printJson()).isGreaterThan(benchmark.printYaml()).isGreaterThan(1000);
      // As bytes and through a writer, the same document (the CLI's newline at the end aside).
      assertThat(benchmark.printJson()).isEqualTo(benchmark.printJsonWriter() + 1);
      assertThat(benchmark.printYaml()).isEqualTo(benchmark.printYamlWriter());
    }
  }

  @Test
  void parseValidateBenchmark_runs() {
    ParseValidateBenchmark benchmark = new ParseValidateBenchmark();
    benchmark.entries = 10;
    benchmark.setUp();
    assertThat(benchmark.parseAndValidate().conf().matches()).hasSize(10);
  }

  @Test
  void resolveBenchmark_runs_andItsSetupChecksThatIndexedAndNaiveAgree() {
    ResolveBenchmark benchmark = new ResolveBenchmark();
    benchmark.proxies = 100;
    benchmark.policies = 60;
    benchmark.setUp();
    assertThat(benchmark.indexed()).isNotNull();
    assertThat(benchmark.naiveScan()).isNotNull();
  }

  @Test
  void cacheBenchmark_hitsAndMisses() throws Exception {
    CacheBenchmark benchmark = new CacheBenchmark();
    benchmark.entries = 10;
    benchmark.variant = Variant.EXACT;
    benchmark.setUp();
    assertThat(benchmark.hit()).isSameAs(benchmark.hit());
    assertThat(benchmark.miss()).isNotEqualTo(benchmark.miss());
  }

  @Test
  void controlPlaneUpdateBenchmark_runsOnePercentOfTheProxiesPerChange() {
    ControlPlaneUpdateBenchmark benchmark = new ControlPlaneUpdateBenchmark();
    benchmark.proxies = 300;
    benchmark.setUp();
    long before = benchmark.plane().runs();
    UpdateReport report = benchmark.incrementalPolicyChange();
    assertThat(report.runs()).isEqualTo(3);
    assertThat(report.pushed()).hasSize(3);
    assertThat(benchmark.plane().runs() - before).isEqualTo(3);
    assertThat(benchmark.incrementalPolicyChange().runs()).isEqualTo(3);
    benchmark.fullRecompute(SINK);
    assertThat(benchmark.plane().runs() - before).isEqualTo(6);
  }

  @Test
  void replayBenchmark_decidesEachClassOnce_forEveryFormat() throws Exception {
    for (ReplayBenchmark.Format format : ReplayBenchmark.Format.values()) {
      ReplayBenchmark benchmark = new ReplayBenchmark();
      benchmark.format = format;
      benchmark.lines = 20_000;
      benchmark.setUp();
      dev.meshpassthrough.cli.ReplayEngine engine = benchmark.replay();
      assertThat(engine.connections()).isEqualTo(20_000);
      long distinct =
          ReplayBenchmark.input(format, 20_000)
              .lines()
              .filter(l -> !l.startsWith("protocol,"))
              .distinct()
              .count();
      assertThat(engine.decisions())
          .isEqualTo(distinct)
          .isGreaterThan(ReplayBenchmark.CLASSES * 9 / 10);
      benchmark.parseOnly(SINK);
    }
  }
}
