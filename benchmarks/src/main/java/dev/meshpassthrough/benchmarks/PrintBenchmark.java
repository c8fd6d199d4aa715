package dev.meshpassthrough.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslationResult.TextFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
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
 * What {@code translate --output json|yaml} costs to print its document, against the translation
 * itself (issue 19, goal 2: printing at most as much as translating), on the output of the same
 * translation, into a stream that discards the bytes: as the CLI writes it, the document as UTF-8
 * bytes ({@code TranslationResult.writeTo(OutputStream, TextFormat)}), and, for comparison, through
 * a writer, as the CLI wrote it before and as an embedder with a generator of its own does (a
 * Jackson generator with the CLI's settings, {@code TranslationResult.writeTo(JsonGenerator)}, a 64
 * KiB buffered UTF-8 writer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PrintBenchmark {
  /** The CLI's JSON settings ({@code StructuredOutput}). */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The CLI's YAML settings ({@code StructuredOutput}). */
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  @Param({"10000"})
  public int entries;

  @Param({"KUMA", "EXACT", "EXACT_MATCHER"})
  public Variant variant;

  private PassthroughTranslator translator;
  private PassthroughConf conf;
  private ProxyContext proxy;
  private TranslationResult result;

  /** Translates once, keeping the output to print. */
  @Setup(Level.Trial)
  public void setUp() {
    translator = PassthroughTranslator.create(variant.options());
    conf = Fixtures.conf(entries);
    proxy = ProxyContext.defaultTransparentProxy();
    result = translator.translate(conf, proxy);
  }

  /** The translation, in the same run: what printing is compared with. */
  @Benchmark
  public TranslationResult translate() {
    return translator.translate(conf, proxy);
  }

  /** The JSON document, as {@code translate --output json} writes it. */
  @Benchmark
  public long printJson() throws IOException {
    return print(TextFormat.JSON);
  }

  /** The YAML document, as {@code translate --output yaml} writes it. */
  @Benchmark
  public long printYaml() throws IOException {
    return print(TextFormat.YAML);
  }

  /** The JSON document through a generator and a writer. */
  @Benchmark
  public long printJsonWriter() throws IOException {
    return printThroughWriter(JSON);
  }

  /** The YAML document through a generator and a writer. */
  @Benchmark
  public long printYamlWriter() throws IOException {
    return printThroughWriter(YAML);
  }

  /** As the CLI: the document as bytes, then a newline unless it ends in one. */
  private long print(TextFormat format) throws IOException {
    Counting out = new Counting();
    result.writeTo(out, format);
    if (out.last != '\n') {
      out.write('\n');
    }
    return out.bytes;
  }

  private long printThroughWriter(ObjectMapper format) throws IOException {
    Counting out = new Counting();
    BufferedWriter writer =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    try (JsonGenerator generator = format.createGenerator(writer)) {
      // As the CLI: the writer is flushed after the generator is done, not closed by it.
      generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      result.writeTo(generator);
    }
    writer.flush();
    return out.bytes;
  }

  /**
   * Discards what it is given and counts it, remembering the last byte, so that nothing can be
   * optimised away.
   */
  private static final class Counting extends OutputStream {
    long bytes;
    int last = -1;

    @Override
    public void write(int b) {
      bytes++;
      last = b & 0xff;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
      if (len > 0) {
        last = b[off + len - 1] & 0xff;
      }
    }
  }
}
