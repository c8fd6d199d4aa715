package dev.meshpassthrough.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private List<PackedFilter> packedFilters;

  /**
   * A filter's packed config: the bytes and the generated parser of its type.
   *
   * @param bytes the packed message
   * @param parser its type's parser
   */
  private record PackedFilter(ByteString bytes, Parser<? extends Message> parser) {}

  /** The packed filter types the translations emit on their chains. */
  private static final Map<String, Parser<? extends Message>> FILTER_PARSERS =
      Map.of(
          "type.googleapis.com/" + TcpProxy.getDescriptor().getFullName(),
          TcpProxy.parser(),
          "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName(),
          HttpConnectionManager.parser());

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
    packedFilters = new ArrayList<>();
    for (Listener listener : result.listeners()) {
      for (FilterChain chain : listener.getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          Parser<? extends Message> parser =
              FILTER_PARSERS.get(filter.getTypedConfig().getTypeUrl());
          if (parser == null) {
            throw new IllegalStateException(
                "no parser for the packed filter " + filter.getTypedConfig().getTypeUrl());
          }
          packedFilters.add(new PackedFilter(filter.getTypedConfig().getValue(), parser));
        }
      }
    }
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
   * A floor for any translator that builds these protos: constructing the emitted object graph (as
   * {@link #parseOutput}), plus constructing every chain filter's packed message and serializing it
   * (parsing it with its generated parser, then {@code toByteString}), as packing an {@code Any}
   * needs the inner message's bytes. No planning, naming or checking. Packed messages nested inside
   * those (the router inside a connection manager) and the matcher encoding's packed inputs are
   * counted as bytes only, so this floor is, if anything, low.
   */
  @Benchmark
  public void buildFloor(Blackhole sink) throws InvalidProtocolBufferException {
    parseOutput(sink);
    for (PackedFilter filter : packedFilters) {
      sink.consume(filter.parser().parseFrom(filter.bytes()).toByteString());
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
