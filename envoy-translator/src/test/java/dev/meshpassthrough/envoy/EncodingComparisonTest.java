package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prints, for the benchmark module's policy mix at 10, 100 and 1000 entries, the chains per
 * listener, the serialized size and the translation time of both encodings of the exact profile. A
 * report, not a benchmark: nothing is asserted about size or time. Runs on request only (about 10
 * s): {@code mvn -pl envoy-translator test -Dtest=EncodingComparisonTest
 * -Dmeshpassthrough.compare=true}.
 */
class EncodingComparisonTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final int WARM_UP = 3;
  private static final int RUNS = 7;

  /**
   * The full table runs with {@code -Dmeshpassthrough.compare=true}; every build runs the smallest
   * size.
   */
  @Test
  void bothEncodings_onTheBenchmarkMix() {
    boolean full = Boolean.getBoolean("meshpassthrough.compare");
    int[] sizes = full ? new int[] {10, 100, 1000} : new int[] {10};
    StringBuilder report =
        new StringBuilder(
            String.format(
                "%-9s %-8s %5s %18s %12s %14s %12s %10s%n",
                "mix",
                "encoding",
                "size",
                "chains ipv4/ipv6",
                "proto bytes",
                "matcher bytes",
                "json bytes",
                "median ms"));
    for (int portlessPercent : new int[] {BenchmarkMix.BENCHMARK_PORTLESS_PERCENT, 50}) {
      for (int size : sizes) {
        row(report, portlessPercent + "%", BenchmarkMix.matches(size, portlessPercent));
      }
    }
    for (int size : sizes) {
      row(report, "crossed", crossed(size));
    }
    if (full) {
      System.out.print(report);
    }
  }

  @Test
  void crossedRules_needFarFewerChainsWithTheMatcher() {
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, crossed(100));
    int legacy =
        PassthroughTranslator.create()
            .translate(conf, PROXY)
            .listener("self_transparentproxy_passthrough_outbound_ipv4")
            .orElseThrow()
            .getFilterChainsCount();
    int matcher =
        PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(Encoding.MATCHER))
            .translate(conf, PROXY)
            .listener("self_transparentproxy_passthrough_outbound_ipv4")
            .orElseThrow()
            .getFilterChainsCount();
    assertThat(legacy).isGreaterThan(10 * matcher);
  }

  /**
   * Half TLS domains on 443, half port-less {@code http} IPv4 CIDRs: every CIDR is an IP node of
   * port 443 under which the legacy encoding repeats every TLS name (strictly valid: no port mixes
   * protocols, and one layer-7 protocol).
   */
  private static List<Match> crossed(int size) {
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      matches.add(
          i % 2 == 0
              ? Match.of(
                  Destination.of(MatchType.DOMAIN, "api" + i + ".example.com"), 443, Protocol.TLS)
              : Match.onEveryPort(
                  Destination.Cidr.parse("10." + (i >> 8 & 255) + "." + (i & 255) + ".0/24"),
                  Protocol.HTTP));
    }
    return matches;
  }

  private static void row(StringBuilder report, String mix, List<Match> matches) {
    int size = matches.size();
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, matches);
    for (Encoding encoding : Encoding.values()) {
      PassthroughTranslator translator =
          PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(encoding));
      TranslationResult result;
      try {
        result = translator.translate(conf, PROXY);
      } catch (TranslationException e) {
        report.append(
            String.format(
                "%-9s %-8s %5d refused: %s%n",
                mix,
                encoding.name().toLowerCase(java.util.Locale.ROOT),
                size,
                e.messages().get(0).substring(0, 70)));
        continue;
      }
      for (int i = 0; i < WARM_UP; i++) {
        translator.translate(conf, PROXY);
      }
      long[] nanos = new long[RUNS];
      for (int i = 0; i < RUNS; i++) {
        long start = System.nanoTime();
        translator.translate(conf, PROXY);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      Listener v4 =
          result.listener("self_transparentproxy_passthrough_outbound_ipv4").orElseThrow();
      // Chains of every listener of the family: handed-off ports' listeners hold chains too.
      long v4Chains =
          result.listeners().stream()
              .filter(l -> !l.getAddress().getSocketAddress().getAddress().contains(":"))
              .mapToLong(Listener::getFilterChainsCount)
              .sum();
      long v6Chains =
          result.listeners().stream()
              .filter(l -> l.getAddress().getSocketAddress().getAddress().contains(":"))
              .mapToLong(Listener::getFilterChainsCount)
              .sum();
      long proto =
          result.listeners().stream().mapToLong(Listener::getSerializedSize).sum()
              + result.clusters().stream().mapToLong(c -> c.getSerializedSize()).sum();
      long json = result.toJson().getBytes(StandardCharsets.UTF_8).length;
      long matcher =
          result.listeners().stream()
              .mapToLong(l -> l.getFilterChainMatcher().getSerializedSize())
              .sum();
      report.append(
          String.format(
              "%-9s %-8s %5d %18s %12d %14d %12d %10.1f%n",
              mix,
              encoding.name().toLowerCase(java.util.Locale.ROOT),
              size,
              v4Chains + "/" + v6Chains,
              proto,
              matcher,
              json,
              nanos[RUNS / 2] / 1e6));
      assertThat(v4.hasFilterChainMatcher()).isEqualTo(encoding == Encoding.MATCHER);
    }
  }

  /**
   * A copy of the benchmark module's {@code PolicyMix} (same seed, same entries, strictly valid),
   * with the share of {@code tcp} IP and CIDR entries that have no port as a parameter: the
   * benchmark's is 5% of them (one round in twenty).
   */
  static final class BenchmarkMix {
    static final int BENCHMARK_PORTLESS_PERCENT = 5;
    static final long SEED = 20261126L;
    static final int[] L4_PORTS = {
      443, 8443, 3306, 5432, 6379, 9200, 9300, 10000, 11211, 15000, 2379, 27017, 5672
    };
    static final int[] L7_PORTS = {80, 8080, 8000, 9000, 8888, 9090, 50051};
    private static final Protocol[] L7_PROTOCOLS = {
      Protocol.HTTP,
      Protocol.HTTP,
      Protocol.HTTP,
      Protocol.HTTP2,
      Protocol.HTTP2,
      Protocol.GRPC,
      Protocol.GRPC
    };

    private BenchmarkMix() {}

    static List<Match> matches(int size, int portlessPercent) {
      SplittableRandom random = new SplittableRandom(SEED);
      List<Match> matches = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int slot = i % 20;
        int round = i / 20;
        int l4 = L4_PORTS[random.nextInt(L4_PORTS.length)];
        int l7Index = random.nextInt(L7_PORTS.length);
        boolean v6 = round % 2 == 1;
        if (slot < 12) {
          Destination destination =
              round % 10 == 0 && slot == 0
                  ? Destination.of(MatchType.DOMAIN, "*.zone" + i + ".example.org")
                  : Destination.of(
                      MatchType.DOMAIN, "svc" + i + ".team" + (i % 50) + ".example.com");
          matches.add(
              random.nextBoolean()
                  ? Match.of(destination, l4, Protocol.TLS)
                  : Match.of(destination, L7_PORTS[l7Index], L7_PROTOCOLS[l7Index]));
          continue;
        }
        Destination destination = slot < 17 ? ip(i, v6) : cidr(i, v6);
        int pick = random.nextInt(10);
        if (pick < 4) {
          boolean portless =
              portlessPercent == BENCHMARK_PORTLESS_PERCENT
                  ? round % 20 == 3
                  : Math.floorMod(i * 37, 100) < portlessPercent;
          matches.add(
              portless
                  ? Match.onEveryPort(destination, Protocol.TCP)
                  : Match.of(destination, l4, Protocol.TCP));
        } else if (pick < 6) {
          matches.add(Match.of(destination, l4, Protocol.TLS));
        } else if (pick < 8) {
          matches.add(Match.of(destination, L7_PORTS[l7Index], L7_PROTOCOLS[l7Index]));
        } else {
          matches.add(Match.of(destination, l4, Protocol.MYSQL));
        }
      }
      return List.copyOf(matches);
    }

    private static Destination ip(int i, boolean v6) {
      return Destination.Ip.parse(
          v6
              ? "fd00::" + Integer.toHexString(i + 1)
              : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }

    private static Destination cidr(int i, boolean v6) {
      int c = i / 20 * 3 + (i % 20 - 17);
      boolean overlapping = c % 4 == 0 && c < 256;
      if (v6) {
        return Destination.Cidr.parse(
            overlapping
                ? "fd00::" + Integer.toHexString(c) + "00/120"
                : "fd01:" + Integer.toHexString(c) + "::/32");
      }
      return Destination.Cidr.parse(
          overlapping
              ? "10.0." + c + ".0/24"
              : "172." + (16 + (c >> 8)) + "." + (c & 255) + ".0/24");
    }
  }
}
