package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
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

/** Parsing a YAML policy and validating it strictly, from text to the typed policy. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseValidateBenchmark {
  @Param({"10", "100", "1000", "10000"})
  public int entries;

  private String yaml;

  /** Generates the text. */
  @Setup(Level.Trial)
  public void setUp() {
    yaml = PolicyMix.yaml(entries);
  }

  /** Parse, then strict validation. */
  @Benchmark
  public MeshPassthroughPolicy parseAndValidate() {
    return Fixtures.validate(yaml);
  }
}
