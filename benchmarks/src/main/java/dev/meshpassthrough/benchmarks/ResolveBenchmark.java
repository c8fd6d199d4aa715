package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.Resolution;
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
 * Resolving one proxy of {@code proxies} against {@code policies}, cycling through the proxies: the
 * indexed {@code PolicySet} against {@link ResolveFixture#naive the naive scan}. Time per proxy;
 * the whole mesh costs {@code proxies} times as much.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResolveBenchmark {
  @Param({"10000"})
  public int proxies;

  @Param({"1000"})
  public int policies;

  private final PolicyResolver resolver = PolicyResolver.create();
  private ResolveFixture fixture;
  private int next;

  /** Builds the mesh and checks that both ways agree on a sample of proxies. */
  @Setup(Level.Trial)
  public void setUp() {
    fixture = new ResolveFixture(proxies, policies);
    for (int i = 0; i < Math.min(50, proxies); i++) {
      ProxyDescriptor proxy = fixture.proxies.get(i * (proxies / Math.min(50, proxies)));
      Resolution indexed = resolver.resolve(fixture.indexed, proxy, ResolveFixture.CONTEXT);
      Resolution naive = ResolveFixture.naive(resolver, fixture.singles, proxy);
      if (!indexed.equals(naive)) {
        throw new IllegalStateException("indexed and naive resolutions differ for " + proxy.name());
      }
    }
  }

  private ProxyDescriptor nextProxy() {
    ProxyDescriptor proxy = fixture.proxies.get(next);
    next = next + 1 == fixture.proxies.size() ? 0 : next + 1;
    return proxy;
  }

  /** The library: one indexed set. */
  @Benchmark
  public Resolution indexed() {
    return resolver.resolve(fixture.indexed, nextProxy(), ResolveFixture.CONTEXT);
  }

  /** The baseline: every policy tested on its own. */
  @Benchmark
  public Resolution naiveScan() {
    return ResolveFixture.naive(resolver, fixture.singles, nextProxy());
  }
}
