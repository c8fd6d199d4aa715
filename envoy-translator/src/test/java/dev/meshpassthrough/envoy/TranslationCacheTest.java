package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TranslationCacheTest {
  private static final PassthroughTranslator KUMA =
      PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA));

  private static PassthroughConf conf(String domain) {
    return PassthroughConf.of(
        PassthroughMode.MATCHED,
        List.of(
            Match.of(Destination.of(MatchType.DOMAIN, domain), 443, Protocol.TLS),
            Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 5432, Protocol.TCP)));
  }

  /** A context equal to the default one but built from other objects, as a control plane would. */
  private static ProxyContext copyOfDefaultProxy() {
    ProxyContext original = ProxyContext.defaultTransparentProxy();
    return new ProxyContext(
        original.dataplaneAddress(),
        original.transparentProxy(),
        original.ipv6Enabled(),
        original.features(),
        original.internalAddresses(),
        new ArrayList<>(original.listeners()),
        new ArrayList<>(original.clusters()));
  }

  /** Counts the translations it does. */
  private static final class CountingTranslator implements PassthroughTranslator {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
      calls.incrementAndGet();
      return KUMA.translate(effectiveConf, proxy);
    }
  }

  @Test
  void equalConfAndEqualContext_hitTheCache_andReturnTheSameResult() {
    CountingTranslator counting = new CountingTranslator();
    TranslationCache cache = TranslationCache.of(counting, 10);

    TranslationResult first =
        cache.translate(conf("a.example.com"), ProxyContext.defaultTransparentProxy());
    TranslationResult second = cache.translate(conf("a.example.com"), copyOfDefaultProxy());

    assertThat(second)
        .isSameAs(first)
        .isEqualTo(KUMA.translate(conf("a.example.com"), ProxyContext.defaultTransparentProxy()));
    assertThat(counting.calls).hasValue(1);
    assertThat(cache.stats()).isEqualTo(new TranslationCache.Stats(1, 1, 0));
  }

  @Test
  void anotherConf_misses() {
    CountingTranslator counting = new CountingTranslator();
    TranslationCache cache = TranslationCache.of(counting, 10);

    cache.translate(conf("a.example.com"), ProxyContext.defaultTransparentProxy());
    cache.translate(conf("b.example.com"), ProxyContext.defaultTransparentProxy());

    assertThat(counting.calls).hasValue(2);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void theBound_evictsTheLeastRecentlyUsed() {
    CountingTranslator counting = new CountingTranslator();
    TranslationCache cache = TranslationCache.of(counting, 2);
    ProxyContext proxy = ProxyContext.defaultTransparentProxy();

    cache.translate(conf("a.example.com"), proxy);
    cache.translate(conf("b.example.com"), proxy);
    cache.translate(conf("a.example.com"), proxy);
    cache.translate(conf("c.example.com"), proxy);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.stats().evictions()).isEqualTo(1);
    cache.translate(conf("a.example.com"), proxy);
    assertThat(counting.calls).hasValue(3);
    cache.translate(conf("b.example.com"), proxy);
    assertThat(counting.calls).hasValue(4);
  }

  @Test
  void aRefusedConf_isRefusedAgainFromTheCache_withTheSameMessages() {
    CountingTranslator counting = new CountingTranslator();
    TranslationCache cache = TranslationCache.of(counting, 10);
    PassthroughConf clash =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(Destination.of(MatchType.DOMAIN, "a.example.com"), 8080, Protocol.HTTP),
                Match.of(Destination.of(MatchType.DOMAIN, "b.example.com"), 8080, Protocol.HTTP2)));
    List<String> expected =
        catchMessages(() -> KUMA.translate(clash, ProxyContext.defaultTransparentProxy()));

    assertThat(catchMessages(() -> cache.translate(clash, ProxyContext.defaultTransparentProxy())))
        .isEqualTo(expected);
    assertThat(catchMessages(() -> cache.translate(clash, ProxyContext.defaultTransparentProxy())))
        .isEqualTo(expected);
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void eightThreads_getIdenticalResults_fromOneTranslationPerKey() throws Exception {
    CountingTranslator counting = new CountingTranslator();
    TranslationCache cache = TranslationCache.of(counting, 100);
    List<String> domains =
        List.of("a.example.com", "b.example.com", "c.example.com", "d.example.com");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<TranslationResult>>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              List<TranslationResult> results = new ArrayList<>();
              for (int round = 0; round < 50; round++) {
                for (String domain : domains) {
                  results.add(cache.translate(conf(domain), copyOfDefaultProxy()));
                }
              }
              return results;
            });
      }
      List<List<TranslationResult>> all = new ArrayList<>();
      for (Future<List<TranslationResult>> future : pool.invokeAll(tasks)) {
        all.add(future.get());
      }
      for (List<TranslationResult> results : all) {
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i)).isSameAs(all.get(0).get(i));
        }
      }
      assertThat(all.get(0).get(0))
          .isEqualTo(KUMA.translate(conf("a.example.com"), ProxyContext.defaultTransparentProxy()));
      assertThat(counting.calls).hasValue(domains.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBoundBelowOne_isACallerMistake() {
    assertThatThrownBy(() -> TranslationCache.of(KUMA, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> catchMessages(Runnable translation) {
    try {
      translation.run();
    } catch (TranslationException e) {
      return e.messages();
    }
    throw new AssertionError("expected a TranslationException");
  }
}
