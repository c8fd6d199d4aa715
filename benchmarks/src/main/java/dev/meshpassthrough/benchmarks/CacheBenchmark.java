package dev.meshpassthrough.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationCache;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link TranslationCache} hit against miss. A hit looks up a conf and a proxy context that are
 * equal to the cached ones but distinct objects (built separately, protos parsed from bytes), as
 * for two identical proxies of a control plane: it pays hashing and one deep comparison. A miss
 * alternates two confs through a cache of one entry, so that every call translates, inserts and
 * evicts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheBenchmark {
  @Param({"100", "1000"})
  public int entries;

  @Param({"EXACT"})
  public Variant variant;

  private TranslationCache hitCache;
  private TranslationCache missCache;
  private PassthroughConf lookupConf;
  private ProxyContext lookupProxy;
  private PassthroughConf[] alternating;
  private int next;

  /** Fills the hit cache with one proxy's translation; builds the look-up copies. */
  @Setup(Level.Trial)
  public void setUp() throws InvalidProtocolBufferException {
    PassthroughTranslator translator = PassthroughTranslator.create(variant.options());
    hitCache = TranslationCache.of(translator, 1_000);
    missCache = TranslationCache.of(translator, 1);
    hitCache.translate(Fixtures.conf(entries), ProxyContext.defaultTransparentProxy());
    lookupConf = Fixtures.conf(entries);
    lookupProxy = deepCopy(ProxyContext.defaultTransparentProxy());
    PassthroughConf full = Fixtures.conf(entries);
    PassthroughConf shorter =
        new PassthroughConf(
            full.passthroughMode(), full.appendMatch().map(m -> m.subList(1, m.size())));
    alternating = new PassthroughConf[] {full, shorter};
  }

  static ProxyContext deepCopy(ProxyContext proxy) throws InvalidProtocolBufferException {
    List<ProxyContext.ExistingListener> listeners = new ArrayList<>();
    for (ProxyContext.ExistingListener l : proxy.listeners()) {
      listeners.add(
          new ProxyContext.ExistingListener(
              l.origin(), Listener.parseFrom(l.listener().toByteArray())));
    }
    List<ProxyContext.ExistingCluster> clusters = new ArrayList<>();
    for (ProxyContext.ExistingCluster c : proxy.clusters()) {
      clusters.add(
          new ProxyContext.ExistingCluster(
              c.origin(), Cluster.parseFrom(c.cluster().toByteArray())));
    }
    return proxy.withResources(listeners, clusters);
  }

  /** An equal conf and context: answered from the cache. */
  @Benchmark
  public TranslationResult hit() {
    return hitCache.translate(lookupConf, lookupProxy);
  }

  /** A conf the cache does not hold: translated, inserted, and the previous entry evicted. */
  @Benchmark
  public TranslationResult miss() {
    next ^= 1;
    return missCache.translate(alternating[next], lookupProxy);
  }
}
