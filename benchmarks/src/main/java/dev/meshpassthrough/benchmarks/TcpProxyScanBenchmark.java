package dev.meshpassthrough.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
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
 * Before and after of the one hot spot fixed (see README.md, Profiling): the kuma profile scans
 * every emitted listener for the clusters its {@code tcp_proxy} filters name. Before, with {@code
 * Any.is(TcpProxy.class)} and {@code Any.unpack(TcpProxy.class)}, which look up the default
 * instance by reflection on every call; after, comparing the type URL and parsing directly. The
 * listeners are fresh copies each invocation, as in translation, so {@code Any}'s unpack cache does
 * not help either way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcpProxyScanBenchmark {
  private static final String TYPE_NAME = TcpProxy.getDescriptor().getFullName();

  @Param({"1000"})
  public int entries;

  private List<byte[]> listeners;

  /** Translates the policy with the kuma profile and keeps the listeners' bytes. */
  @Setup(Level.Trial)
  public void setUp() {
    listeners = new ArrayList<>();
    PassthroughTranslator.create(Variant.KUMA.options())
        .translate(Fixtures.conf(entries), ProxyContext.defaultTransparentProxy())
        .listeners()
        .forEach(l -> listeners.add(l.toByteArray()));
  }

  /** The scan as it was. */
  @Benchmark
  public void before(Blackhole sink) throws InvalidProtocolBufferException {
    for (byte[] bytes : listeners) {
      for (FilterChain chain : Listener.parseFrom(bytes).getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.hasTypedConfig() && filter.getTypedConfig().is(TcpProxy.class)) {
            sink.consume(filter.getTypedConfig().unpack(TcpProxy.class).getCluster());
          }
        }
      }
    }
  }

  /** The scan as it is. */
  @Benchmark
  public void after(Blackhole sink) throws InvalidProtocolBufferException {
    for (byte[] bytes : listeners) {
      for (FilterChain chain : Listener.parseFrom(bytes).getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.hasTypedConfig() && isTcpProxy(filter.getTypedConfig())) {
            sink.consume(TcpProxy.parseFrom(filter.getTypedConfig().getValue()).getCluster());
          }
        }
      }
    }
  }

  /** Only the cost both share: parsing the listeners. */
  @Benchmark
  public void parseOnly(Blackhole sink) throws InvalidProtocolBufferException {
    for (byte[] bytes : listeners) {
      sink.consume(Listener.parseFrom(bytes));
    }
  }

  private static boolean isTcpProxy(Any any) {
    String url = any.getTypeUrl();
    return url.length() > TYPE_NAME.length()
        && url.endsWith(TYPE_NAME)
        && url.charAt(url.length() - TYPE_NAME.length() - 1) == '/';
  }
}
