package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.cli.ConnectionClass;
import dev.meshpassthrough.cli.ConnectionLines;
import dev.meshpassthrough.cli.ReplayEngine;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.PolicySimulation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code replay} in lines per second: reading, parsing and deciding {@value #LINES} observed
 * connections ({@link #replay}) against only reading and parsing them ({@link #parseOnly}), for the
 * CSV and the Envoy JSON access log.
 *
 * <p>The lines (UTF-8 bytes, decoded on every run as the command decodes its file) come from
 * {@value #CLASSES} distinct connection classes drawn with a skew (seed {@value #SEED}): class
 * {@code i} is drawn with weight {@code 1 / (i + 1)}, as a few destinations dominate real traffic.
 * Half of the classes are allowed by the policy ({@value #ENTRIES} entries: tls domains, http
 * hosts, tcp IPs), half are not. Each {@link #replay} invocation starts with an empty engine, so it
 * pays the {@value #CLASSES} decisions too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayBenchmark {
  /** Lines per input; the score is in lines per second. */
  public static final int LINES = 1_000_000;

  static final int CLASSES = 500;
  static final int ENTRIES = CLASSES / 2;
  static final long SEED = 20261205L;

  /** The input format. */
  public enum Format {
    /** {@code protocol,dst_ip,dst_port,sni_or_host}. */
    CSV,
    /** An Envoy access log in JSON lines, with a few more keys than replay reads. */
    ACCESS_LOG
  }

  @Param({"CSV", "ACCESS_LOG"})
  public Format format;

  /** Lines per input; {@value #LINES} for the benchmark, fewer in the setup test. */
  int lines = LINES;

  private byte[] input;
  private PolicySimulation simulation;

  /** Generates the policy, its simulation and the input. */
  @Setup(Level.Trial)
  public void setUp() {
    simulation =
        PolicySimulation.translate(
            Fixtures.validate(policy()).conf(),
            TranslationProfile.EXACT,
            ProxyContext.defaultTransparentProxy());
    input = input(format, lines).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads, parses and decides every line, each class once.
   *
   * @return the engine, for its counts
   */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public ReplayEngine replay() throws Exception {
    ReplayEngine engine = ReplayEngine.of(simulation);
    try (Reader reader = reader()) {
      ConnectionLines.of(reader)
          .read(
              new ConnectionLines.Sink() {
                @Override
                public void connection(ConnectionClass connection) {
                  engine.accept(connection);
                }

                @Override
                public void malformed(long line, String reason) {
                  throw new IllegalStateException("line " + line + ": " + reason);
                }
              },
              ConnectionLines.OnMalformed.STOP);
    }
    return engine;
  }

  /** Reads and parses every line into its connection class, and decides nothing. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public void parseOnly(Blackhole blackhole) throws Exception {
    try (Reader reader = reader()) {
      ConnectionLines.of(reader)
          .read(
              new ConnectionLines.Sink() {
                @Override
                public void connection(ConnectionClass connection) {
                  blackhole.consume(connection);
                }

                @Override
                public void malformed(long line, String reason) {
                  throw new IllegalStateException("line " + line + ": " + reason);
                }
              },
              ConnectionLines.OnMalformed.STOP);
    }
  }

  private Reader reader() throws IOException {
    return new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8);
  }

  /** {@value #ENTRIES} entries: a third each tls domains, http hosts and tcp IPs. */
  static String policy() {
    StringBuilder yaml =
        new StringBuilder(
            """
            type: MeshPassthrough
            name: replay
            mesh: default
            spec:
              targetRef: {kind: Mesh}
              default:
                passthroughMode: Matched
                appendMatch:
            """);
    for (int i = 0; i < ENTRIES; i++) {
      yaml.append("    - ").append(entry(i)).append('\n');
    }
    return yaml.toString();
  }

  private static String entry(int i) {
    return switch (i % 3) {
      case 0 -> "{type: Domain, value: " + name(i) + ", port: 443, protocol: tls}";
      case 1 -> "{type: Domain, value: " + name(i) + ", port: 80, protocol: http}";
      default -> "{type: IP, value: " + ip(i) + ", port: 5432, protocol: tcp}";
    };
  }

  /** The lines: classes 0 to {@value #ENTRIES} - 1 are allowed, the others are not. */
  static String input(Format format, int lines) {
    Random random = new Random(SEED);
    double[] cumulative = new double[CLASSES];
    double total = 0;
    for (int i = 0; i < CLASSES; i++) {
      total += 1.0 / (i + 1);
      cumulative[i] = total;
    }
    String[] texts = new String[CLASSES];
    for (int i = 0; i < CLASSES; i++) {
      texts[i] = line(format, i);
    }
    StringBuilder out = new StringBuilder(lines * (format == Format.CSV ? 36 : 200));
    if (format == Format.CSV) {
      out.append("protocol,dst_ip,dst_port,sni_or_host\n");
    }
    for (int n = 0; n < lines; n++) {
      double draw = random.nextDouble() * total;
      int i = java.util.Arrays.binarySearch(cumulative, draw);
      int index = Math.min(CLASSES - 1, i >= 0 ? i : -i - 1);
      // Interleave allowed and denied classes so that both are frequent.
      int chosen = index % 2 == 0 ? index / 2 : ENTRIES + index / 2;
      out.append(texts[chosen]).append('\n');
    }
    return out.toString();
  }

  /**
   * Class {@code c}: the connection entry {@code c} allows, or (from {@value #ENTRIES}) a near
   * miss.
   */
  private static String line(Format format, int c) {
    int i = c % ENTRIES;
    String miss = c >= ENTRIES ? "x" : "";
    int kind = i % 3;
    if (format == Format.CSV) {
      return switch (kind) {
        case 0 -> "tls,192.0.2.1,443," + miss + name(i);
        case 1 -> "http,192.0.2.1,80," + miss + name(i);
        default -> "tcp," + (c >= ENTRIES ? ip(i + ENTRIES) : ip(i)) + ",5432,";
      };
    }
    String address;
    String sni = "null";
    String authority = "null";
    String protocol = "null";
    switch (kind) {
      case 0 -> {
        address = "192.0.2.1:443";
        sni = "\"" + miss + name(i) + "\"";
      }
      case 1 -> {
        address = "192.0.2.1:80";
        authority = "\"" + miss + name(i) + "\"";
        protocol = "\"HTTP/1.1\"";
      }
      default -> address = (c >= ENTRIES ? ip(i + ENTRIES) : ip(i)) + ":5432";
    }
    return "{\"start_time\":\"2026-12-05T01:00:00.000Z\",\"downstream_local_address\":\""
        + address
        + "\",\"requested_server_name\":"
        + sni
        + ",\"authority\":"
        + authority
        + ",\"protocol\":"
        + protocol
        + ",\"response_flags\":\"-\",\"bytes_sent\":1234,\"duration\":42}";
  }

  private static String name(int i) {
    return "svc-" + i + ".example.com";
  }

  private static String ip(int i) {
    return "10.1." + (i / 250) + "." + (i % 250 + 1);
  }
}
