package dev.meshpassthrough.envoy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ExecutionError;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.PassthroughConf;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * A {@link PassthroughTranslator} that remembers its answers, for control planes that translate the
 * same effective conf for many identical proxies.
 *
 * <p>The key is the pair (effective conf, proxy context), compared by value: both are immutable
 * records, and {@link ProxyContext}'s listeners and clusters are protobuf messages, which have
 * value equality. Two proxies whose contexts are equal share one entry even when they are distinct
 * objects; a lookup costs a hash of both (protobuf memoizes the hash of each message instance) and,
 * on a hit, one deep comparison.
 *
 * <p>Bounded: at most {@code maximumEntries} entries, the least recently used evicted first
 * (approximately, per Guava's segmented LRU). Thread-safe: concurrent calls with the same key
 * translate once and all receive the same {@link TranslationResult} instance. Since translation is
 * a pure function, a cached answer is exactly what the wrapped translator would return.
 *
 * <p>Failures are cached as failures: a conf that the translator refuses is refused again from the
 * cache, each time with a new {@link TranslationException} carrying the same problems. Only {@link
 * TranslationException} is cached; any other exception (a bug in the translator) propagates and
 * leaves no entry.
 */
public final class TranslationCache implements PassthroughTranslator {
  private final PassthroughTranslator translator;
  private final Cache<Key, Outcome> cache;

  private TranslationCache(PassthroughTranslator translator, long maximumEntries) {
    this.translator = translator;
    this.cache = CacheBuilder.newBuilder().maximumSize(maximumEntries).recordStats().build();
  }

  /**
   * A cache of at most {@code maximumEntries} translations by {@code translator}.
   *
   * @param translator the translator whose answers to remember, not null; it must be a pure
   *     function of its arguments, as every {@link PassthroughTranslator} is
   * @param maximumEntries the most translations kept at once, at least 1
   * @return an empty, thread-safe cache, never null
   * @throws NullPointerException when {@code translator} is null
   * @throws IllegalArgumentException when {@code maximumEntries} is not positive
   */
  public static TranslationCache of(PassthroughTranslator translator, long maximumEntries) {
    Objects.requireNonNull(translator, "translator");
    if (maximumEntries <= 0) {
      throw new IllegalArgumentException("maximumEntries must be positive, got " + maximumEntries);
    }
    return new TranslationCache(translator, maximumEntries);
  }

  /**
   * The wrapped translator's answer for this conf and proxy, from the cache when present.
   *
   * @throws TranslationException when the wrapped translator refuses the conf, now or when it was
   *     cached
   */
  @Override
  public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
    Key key =
        new Key(
            Objects.requireNonNull(effectiveConf, "effectiveConf"),
            Objects.requireNonNull(proxy, "proxy"));
    Outcome outcome;
    try {
      outcome = cache.get(key, () -> translateOnce(key));
    } catch (ExecutionException | UncheckedExecutionException e) {
      // translateOnce throws only unchecked exceptions: hand back the original.
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (ExecutionError e) {
      throw (Error) e.getCause();
    }
    if (outcome.failure() != null) {
      throw TranslationException.of(outcome.failure());
    }
    return Objects.requireNonNull(outcome.result());
  }

  /**
   * How many translations are cached now (approximate while other threads write).
   *
   * @return the number of entries, refusals included; not negative, and at most about the maximum
   *     given to {@link #of(PassthroughTranslator, long)}
   */
  public long size() {
    return cache.size();
  }

  /**
   * Counts since creation.
   *
   * @param hits lookups answered from the cache
   * @param misses lookups that translated
   * @param evictions entries dropped to respect the bound
   */
  public record Stats(long hits, long misses, long evictions) {}

  /**
   * Hits, misses and evictions so far.
   *
   * @return a snapshot of the counts since creation (not reset by {@link #invalidateAll()}); never
   *     null
   */
  public Stats stats() {
    var stats = cache.stats();
    return new Stats(stats.hitCount(), stats.missCount(), stats.evictionCount());
  }

  /** Drops every entry, for example when the control plane's translator options change. */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  private Outcome translateOnce(Key key) {
    try {
      return new Outcome(translator.translate(key.conf(), key.proxy()), null);
    } catch (TranslationException e) {
      return new Outcome(null, e.problems());
    }
  }

  private record Key(PassthroughConf conf, ProxyContext proxy) {}

  /** Exactly one of the two is present. */
  private record Outcome(
      @org.jspecify.annotations.Nullable TranslationResult result,
      @org.jspecify.annotations.Nullable List<Problem> failure) {}
}
