package dev.meshpassthrough.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Translation against its limit, in the same run: {@link #translate} builds the listeners and
 * clusters of one proxy; {@link #parseOutput} only constructs the same object graph from its
 * serialized bytes ({@code Listener.parseFrom}, {@code Cluster.parseFrom}), which no translator
 * that emits these protos can beat by much; {@link #serializeOutput} is {@code toByteArray}, what a
 * control plane pays anyway to send them.
 *
 * <p>Each profile and encoding is a {@link Variant}. The exact profile refuses listeners of more
 * than 100,000 chains with a {@link TranslationException}; the standard mix stays far below that
 * (see README.md), and should a changed mix reach it, the setup fails with the translator's
 * message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranslateBenchmark {
  @Param({"10", "100", "1000", "10000"})
  public int entries;

  @Param({"KUMA", "EXACT", "EXACT_MATCHER"})
  public Variant variant;

  private PassthroughTranslator translator;
  private PassthroughConf conf;
  private ProxyContext proxy;
  private TranslationResult result;
  private List<byte[]> listenerBytes;
  private List<byte[]> clusterBytes;

  /** Generates the policy and translates it once, keeping the serialized output. */
  @Setup(Level.Trial)
  public void setUp() {
    translator = PassthroughTranslator.create(variant.options());
    conf = Fixtures.conf(entries);
    proxy = ProxyContext.defaultTransparentProxy();
    try {
      result = translator.translate(conf, proxy);
    } catch (TranslationException e) {
      throw new IllegalStateException(
          "bound in action: " + variant + " refuses " + entries + " entries: " + e.getMessage(), e);
    }
    listenerBytes = new ArrayList<>();
    clusterBytes = new ArrayList<>();
    result.listeners().forEach(l -> listenerBytes.add(l.toByteArray()));
    result.clusters().forEach(c -> clusterBytes.add(c.toByteArray()));
  }

  /** The translation. */
  @Benchmark
  public TranslationResult translate() {
    return translator.translate(conf, proxy);
  }

  /** The limit: constructing the same protos from bytes. */
  @Benchmark
  public void parseOutput(Blackhole sink) throws InvalidProtocolBufferException {
    for (byte[] bytes : listenerBytes) {
      sink.consume(Listener.parseFrom(bytes));
    }
    for (byte[] bytes : clusterBytes) {
      sink.consume(Cluster.parseFrom(bytes));
    }
  }

  /**
   * {@code toByteArray} of every emitted resource: the same instances each call, whose sizes
   * protobuf memoizes, as when one snapshot is sent to several proxies.
   */
  @Benchmark
  public void serializeOutput(Blackhole sink) {
    for (Listener listener : result.listeners()) {
      sink.consume(listener.toByteArray());
    }
    for (Cluster cluster : result.clusters()) {
      sink.consume(cluster.toByteArray());
    }
  }

  TranslationResult result() {
    return result;
  }
}
