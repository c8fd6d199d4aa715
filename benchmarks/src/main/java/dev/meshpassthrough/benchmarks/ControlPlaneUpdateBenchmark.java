package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.xds.PassthroughControlPlane;
import dev.meshpassthrough.xds.UpdateReport;
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
 * One policy change in a control plane holding {@code proxies} proxies ({@link
 * ControlPlaneFixture}): the policy {@code changing} selects 1% of them. {@link
 * #incrementalPolicyChange} applies the change through {@link PassthroughControlPlane}, whose
 * reverse index runs the pipeline again only for the proxies the policy involves; {@link
 * #fullRecompute} runs the pipeline for every proxy, as a control plane without that index does
 * (Kuma recomputes every proxy periodically). Time per change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ControlPlaneUpdateBenchmark {
  /** The share of the proxies the changing policy selects, in percent. */
  static final int PERCENT = 1;

  @Param({"10000"})
  public int proxies;

  private final PassthroughPipeline pipeline = PassthroughPipeline.create();
  private PassthroughControlPlane plane;
  private final MeshPassthroughPolicy[] changing = {
    ControlPlaneFixture.changing(0), ControlPlaneFixture.changing(1)
  };
  private int next;
  private List<ProxyContext> contexts;
  private PassthroughPipeline.Policies policies;

  /**
   * Registers every policy and proxy (one run each), then checks that a change of the changing
   * policy runs exactly its 1% of the proxies again and pushes each of them something new, both
   * ways.
   */
  @Setup(Level.Trial)
  public void setUp() {
    plane = PassthroughControlPlane.create(pipeline);
    PassthroughControlPlane.Update all = plane.update();
    List<MeshPassthroughPolicy> every = new ArrayList<>(ControlPlaneFixture.steadyPolicies());
    every.add(changing[0]);
    every.forEach(all::putPolicy);
    contexts = new ArrayList<>(proxies);
    for (int i = 0; i < proxies; i++) {
      ProxyContext proxy = ControlPlaneFixture.proxy(i, PERCENT);
      contexts.add(proxy);
      all.putProxy(ControlPlaneFixture.name(i), proxy);
    }
    UpdateReport first = all.apply();
    if (first.runs() != proxies || first.pushed().size() != proxies) {
      throw new IllegalStateException(
          "the first update ran " + first.runs() + " and pushed " + first.pushed().size());
    }
    policies = PassthroughPipeline.Policies.of(every);
    int expected = ControlPlaneFixture.selectedCount(proxies, PERCENT);
    for (int i = 0; i < 2; i++) {
      UpdateReport report = incrementalPolicyChange();
      if (report.runs() != expected || report.pushed().size() != expected) {
        throw new IllegalStateException(
            "a change of the 1% policy ran "
                + report.runs()
                + " and pushed "
                + report.pushed().size()
                + ", expected "
                + expected);
      }
    }
  }

  /** The control plane, for the test. */
  PassthroughControlPlane plane() {
    return plane;
  }

  /** The change through the control plane: alternates the two confs of the changing policy. */
  @Benchmark
  public UpdateReport incrementalPolicyChange() {
    next ^= 1;
    return plane.update().putPolicy(changing[next]).apply();
  }

  /** The baseline: the pipeline run for every proxy, against the current policies. */
  @Benchmark
  public void fullRecompute(Blackhole sink) {
    for (ProxyContext proxy : contexts) {
      sink.consume(pipeline.run(policies, proxy));
    }
  }
}
