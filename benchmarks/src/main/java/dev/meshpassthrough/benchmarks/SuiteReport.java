package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the suite (JMH command-line options are passed through) and prints the README tables: sizes
 * of the output per entry count, then ratios and growth exponents from the one run. With {@code
 * --sizes-only}, prints the size table and runs nothing.
 */
public final class SuiteReport {
  static final int[] SIZES = {10, 100, 1_000, 10_000};

  private SuiteReport() {}

  /**
   * Entry point: {@code java -cp benchmarks.jar dev.meshpassthrough.benchmarks.SuiteReport [JMH
   * options]}.
   */
  public static void main(String[] args) throws Exception {
    printSizes();
    if (List.of(args).contains("--sizes-only")) {
      return;
    }
    CommandLineOptions cli = new CommandLineOptions(args);
    OptionsBuilder options = new OptionsBuilder();
    options.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      options.include("dev\\.meshpassthrough\\.benchmarks\\..*Benchmark\\..*");
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    printRatios(scores(results));
  }

  /** Chains and bytes emitted per size and variant, and the exact profile's per-listener bound. */
  static void printSizes() {
    System.out.println(
        "| entries | variant | listener chains (max per listener) | bound Σ(IP nodes+1)(TLS names+2) | bytes emitted |");
    System.out.println("|---:|---|---:|---:|---:|");
    for (int size : SIZES) {
      PassthroughConf conf = Fixtures.conf(size);
      for (Variant variant : Variant.values()) {
        String cells;
        try {
          TranslationResult result =
              PassthroughTranslator.create(variant.options())
                  .translate(conf, ProxyContext.defaultTransparentProxy());
          int max =
              result.listeners().stream().mapToInt(Listener::getFilterChainsCount).max().orElse(0);
          cells =
              Fixtures.chains(result)
                  + " ("
                  + max
                  + ") | "
                  + ChainBound.maxPerListener(conf.matches())
                  + " | "
                  + Fixtures.bytes(result);
        } catch (TranslationException e) {
          cells =
              "refused: "
                  + String.valueOf(e.getMessage()).replace('|', '/')
                  + " | "
                  + ChainBound.maxPerListener(conf.matches())
                  + " | -";
        }
        System.out.println("| " + size + " | " + variant + " | " + cells + " |");
      }
    }
    // The bound at work: the same sizes with every tcp IP/CIDR entry port-less, strictly valid too.
    for (int size : new int[] {1_000, 10_000}) {
      PassthroughConf conf =
          Fixtures.validate(PolicyMix.yaml(size, PolicyMix.PortlessShare.EVERY_TCP)).conf();
      String cells;
      try {
        TranslationResult result =
            PassthroughTranslator.create(Variant.EXACT.options())
                .translate(conf, ProxyContext.defaultTransparentProxy());
        int max =
            result.listeners().stream().mapToInt(Listener::getFilterChainsCount).max().orElse(0);
        cells =
            Fixtures.chains(result)
                + " ("
                + max
                + ") | "
                + ChainBound.maxPerListener(conf.matches())
                + " | "
                + Fixtures.bytes(result);
      } catch (TranslationException e) {
        cells =
            "refused: "
                + String.valueOf(e.getMessage()).replace('|', '/')
                + " | "
                + ChainBound.maxPerListener(conf.matches())
                + " | -";
      }
      System.out.println("| " + size + " every tcp port-less | EXACT | " + cells + " |");
    }
    // A conf built to exceed the bound: port-less tls domains are copied into every port node.
    List<Match> pathological = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      pathological.add(
          Match.of(
              Destination.of(MatchType.IP, "10.1." + (i >> 8) + "." + (i & 255)),
              20_000 + i,
              Protocol.TCP));
      pathological.add(
          Match.onEveryPort(
              Destination.of(MatchType.DOMAIN, "svc" + i + ".example.com"), Protocol.TLS));
    }
    String cells;
    try {
      TranslationResult result =
          PassthroughTranslator.create(Variant.EXACT.options())
              .translate(
                  PassthroughConf.of(PassthroughMode.MATCHED, pathological),
                  ProxyContext.defaultTransparentProxy());
      cells =
          Fixtures.chains(result)
              + " | "
              + ChainBound.maxPerListener(pathological)
              + " | "
              + Fixtures.bytes(result);
    } catch (TranslationException e) {
      cells =
          "refused: "
              + String.valueOf(e.getMessage()).replace('|', '/')
              + " | "
              + ChainBound.maxPerListener(pathological)
              + " | -";
    }
    System.out.println(
        "| 800: 400 tcp IPs on 400 ports + 400 port-less tls domains | EXACT | " + cells + " |");
    System.out.println();
  }

  private record Key(String method, Map<String, String> params) {}

  private static Map<Key, Double> scores(Collection<RunResult> results) {
    Map<Key, Double> scores = new java.util.HashMap<>();
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      String method =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      Map<String, String> params = new TreeMap<>();
      run.getParams().getParamsKeys().forEach(k -> params.put(k, run.getParams().getParam(k)));
      scores.put(new Key(method, params), run.getPrimaryResult().getScore());
    }
    return scores;
  }

  private static Optional<Double> score(
      Map<Key, Double> scores, String method, String... keyValues) {
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return Optional.ofNullable(scores.get(new Key(method, params)));
  }

  static void printRatios(Map<Key, Double> scores) {
    System.out.println(
        "| entries | variant | translate / parseFrom | translate / build floor | build floor / parseFrom | translate / toByteArray | parse+validate / translate |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|");
    for (Variant variant : Variant.values()) {
      for (int size : SIZES) {
        String n = Integer.toString(size);
        Optional<Double> translate =
            score(scores, "TranslateBenchmark.translate", "entries", n, "variant", variant.name());
        if (translate.isEmpty()) {
          continue;
        }
        Optional<Double> parse =
            score(
                scores, "TranslateBenchmark.parseOutput", "entries", n, "variant", variant.name());
        Optional<Double> serialize =
            score(
                scores,
                "TranslateBenchmark.serializeOutput",
                "entries",
                n,
                "variant",
                variant.name());
        Optional<Double> floor =
            score(scores, "TranslateBenchmark.buildFloor", "entries", n, "variant", variant.name());
        Optional<Double> validate =
            score(scores, "ParseValidateBenchmark.parseAndValidate", "entries", n);
        System.out.printf(
            Locale.ROOT,
            "| %d | %s | %s | %s | %s | %s | %s |%n",
            size,
            variant,
            ratio(translate, parse),
            ratio(translate, floor),
            ratio(floor, parse),
            ratio(translate, serialize),
            ratio(validate, translate));
      }
    }
    System.out.println();
    System.out.println("| measured | exponent k in time ∝ entries^k | sizes |");
    System.out.println("|---|---:|---|");
    for (Variant variant : Variant.values()) {
      for (String method : List.of("translate", "parseOutput")) {
        exponent(scores, "TranslateBenchmark." + method, "variant", variant.name())
            .ifPresent(
                fit -> System.out.println("| " + method + " " + variant + " | " + fit + " |"));
      }
    }
    exponent(scores, "ParseValidateBenchmark.parseAndValidate")
        .ifPresent(fit -> System.out.println("| parse+validate | " + fit + " |"));
    System.out.println();
    scores.keySet().stream()
        .filter(k -> k.method().equals("ResolveBenchmark.indexed"))
        .forEach(
            k -> {
              Optional<Double> naive =
                  Optional.ofNullable(
                      scores.get(new Key("ResolveBenchmark.naiveScan", k.params())));
              System.out.println(
                  "resolve "
                      + k.params()
                      + ": naive scan / indexed = "
                      + ratio(naive, Optional.ofNullable(scores.get(k))));
            });
    scores.keySet().stream()
        .filter(k -> k.method().equals("CacheBenchmark.hit"))
        .forEach(
            k -> {
              Optional<Double> miss =
                  Optional.ofNullable(scores.get(new Key("CacheBenchmark.miss", k.params())));
              System.out.println(
                  "cache "
                      + k.params()
                      + ": miss / hit = "
                      + ratio(miss, Optional.ofNullable(scores.get(k))));
            });
    scores.keySet().stream()
        .filter(k -> k.method().equals("ControlPlaneUpdateBenchmark.incrementalPolicyChange"))
        .forEach(
            k -> {
              Optional<Double> full =
                  Optional.ofNullable(
                      scores.get(new Key("ControlPlaneUpdateBenchmark.fullRecompute", k.params())));
              System.out.println(
                  "control plane "
                      + k.params()
                      + ", one policy selecting "
                      + ControlPlaneUpdateBenchmark.PERCENT
                      + "% changed: full recompute / incremental update = "
                      + ratio(full, Optional.ofNullable(scores.get(k))));
            });
  }

  private static String ratio(Optional<Double> numerator, Optional<Double> denominator) {
    return numerator.isPresent() && denominator.isPresent()
        ? String.format(Locale.ROOT, "%.2f", numerator.get() / denominator.get())
        : "-";
  }

  /** Least-squares slope of log(time) against log(entries) over the sizes measured. */
  private static Optional<String> exponent(
      Map<Key, Double> scores, String method, String... fixed) {
    List<double[]> points = new ArrayList<>();
    List<String> sizes = new ArrayList<>();
    for (int size : SIZES) {
      String[] keyValues = java.util.Arrays.copyOf(fixed, fixed.length + 2);
      keyValues[fixed.length] = "entries";
      keyValues[fixed.length + 1] = Integer.toString(size);
      Optional<Double> time = score(scores, method, keyValues);
      time.ifPresent(
          t -> {
            points.add(new double[] {Math.log(size), Math.log(t)});
            sizes.add(Integer.toString(size));
          });
    }
    if (points.size() < 2) {
      return Optional.empty();
    }
    double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double sxy = points.stream().mapToDouble(p -> (p[0] - mx) * (p[1] - my)).sum();
    double sxx = points.stream().mapToDouble(p -> (p[0] - mx) * (p[0] - mx)).sum();
    return Optional.of(
        String.format(Locale.ROOT, "%.2f | %s", sxy / sxx, String.join(", ", sizes)));
  }
}
