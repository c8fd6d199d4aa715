package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TextSink}: bytes of ASCII characters and text given to its writer (any characters) reach a
 * writer, or a stream as UTF-8, in the order they were given, as long as the sink is flushed before
 * the writer is written to, as its callers do; the stream is neither closed nor flushed on the way,
 * only when the writer's text must go first.
 */
class TextSinkTest {
  private static final long SEED = 5_12_2026L;

  @Test
  void randomBytesAndWriterText_arriveInOrder_atAWriterAndAStream() throws IOException {
    Random random = new Random(SEED);
    for (int round = 0; round < 200; round++) {
      StringWriter writer = new StringWriter();
      Stream stream = new Stream();
      TextSink toWriter = TextSink.of(writer);
      TextSink toStream = TextSink.of(stream);
      StringBuilder model = new StringBuilder();
      for (int step = 0; step < 20; step++) {
        if (random.nextBoolean()) {
          byte[] ascii = new byte[random.nextInt(3 * TextBlocks.SIZE / 2)];
          for (int i = 0; i < ascii.length; i++) {
            ascii[i] = (byte) (' ' + random.nextInt(95));
          }
          int offset = ascii.length == 0 ? 0 : random.nextInt(ascii.length);
          int count = ascii.length - offset;
          toWriter.write(ascii, offset, count);
          toStream.write(ascii, offset, count);
          model.append(new String(ascii, offset, count, StandardCharsets.US_ASCII));
        } else {
          String text = random.nextBoolean() ? "é€" + step : "x".repeat(1 + random.nextInt(100));
          for (TextSink sink : new TextSink[] {toWriter, toStream}) {
            sink.flush();
            Writer out = sink.writer();
            out.write(text, 0, 1);
            out.write(text.substring(1).toCharArray(), 0, text.length() - 1);
          }
          model.append(text);
        }
      }
      toWriter.flush();
      toStream.flush();
      assertThat(writer.toString()).isEqualTo(model.toString());
      assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(model.toString());
      assertThat(stream.closed).isFalse();
    }
  }

  @Test
  void bytesAlone_areNotFlushedOnTheWay() throws IOException {
    Stream stream = new Stream();
    TextSink sink = TextSink.of(stream);
    sink.write(new byte[] {'a', 'b'}, 0, 2);
    sink.flush();
    sink.write(new byte[] {'c'}, 0, 1);
    assertThat(stream.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    assertThat(stream.flushes).isZero();
    // Text given to the writer is pushed into the stream before the next bytes.
    sink.writer().write("é");
    sink.write(new byte[] {'d'}, 0, 1);
    assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo("abcéd");
  }

  /** A stream that records whether it was closed, and how often flushed. */
  private static final class Stream extends ByteArrayOutputStream {
    boolean closed;
    int flushes;

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
