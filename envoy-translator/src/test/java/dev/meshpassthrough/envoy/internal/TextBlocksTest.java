package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TextBlocks} against a plain model, the text written so far: random writes of every size
 * (past a block's size too) kept from a position that moves forward, text taken back to a position
 * after it, and handed out up to any position, with a recorded seed. What reaches the writer is
 * always a beginning of the model's text, and all of it in the end, whether it goes to a writer or
 * to a stream.
 */
class TextBlocksTest {
  private static final long SEED = 19_2026L;

  @ParameterizedTest(name = "to a stream: {0}")
  @ValueSource(booleans = {false, true})
  void randomWritesTakeBacksAndHandOuts_giveTheModelsText(boolean toStream) throws IOException {
    Random random = new Random(SEED);
    for (int round = 0; round < 40; round++) {
      Out out = new Out(toStream);
      TextBlocks blocks = new TextBlocks(out.sink);
      StringBuilder model = new StringBuilder();
      long keepFrom = 0;
      for (int step = 0; step < 300; step++) {
        int choice = random.nextInt(20);
        if (choice == 0) {
          // As YamlText: up to a position at or after the one kept from.
          long end = keepFrom + between(random, blocks.position() - keepFrom);
          blocks.handOut(end);
          model.setLength((int) end);
          keepFrom = end;
          assertThat(out.toString()).isEqualTo(model.toString());
        } else if (choice <= 2) {
          long start = keepFrom + between(random, blocks.position() - keepFrom);
          blocks.truncate(start);
          model.setLength((int) start);
        } else {
          if (choice <= 5) {
            keepFrom += between(random, blocks.position() - keepFrom);
          }
          int count = random.nextInt(8) == 0 ? random.nextInt(3 * TextBlocks.SIZE) : 100;
          int end = blocks.reserve(count, keepFrom);
          char letter = (char) ('a' + random.nextInt(26));
          for (int i = end - count; i < end; i++) {
            blocks.block()[i] = (byte) letter;
          }
          model.append(String.valueOf(letter).repeat(count));
        }
        assertThat(blocks.position()).isEqualTo(model.length());
        assertThat(model.toString()).startsWith(out.toString());
        assertThat((long) out.toString().length()).isLessThanOrEqualTo(keepFrom);
      }
      blocks.handOut(blocks.position());
      assertThat(out.toString()).isEqualTo(model.toString());
    }
  }

  @Test
  void fullBlocksBeforeThePositionKept_areHandedOut() throws IOException {
    StringWriter out = new StringWriter();
    TextBlocks blocks = new TextBlocks(out);
    for (int i = 0; i < 20 * TextBlocks.SIZE / 100; i++) {
      blocks.reserve(100, blocks.position());
    }
    // Held back: the block being written, and less than a block's characters not passed on yet.
    assertThat((long) out.getBuffer().length())
        .isGreaterThan(blocks.position() - 2 * TextBlocks.SIZE)
        .isGreaterThan(0);
  }

  @Test
  void textSince_copiesFromAPositionInTheCurrentBlock() throws IOException {
    TextBlocks blocks = new TextBlocks(new StringWriter());
    int end = blocks.reserve(3, 0);
    blocks.block()[end - 3] = 'a';
    blocks.block()[end - 2] = 'b';
    blocks.block()[end - 1] = 'c';
    assertThat(blocks.textSince(1)).containsExactly('b', 'c');
    blocks.reserve(TextBlocks.SIZE, 0);
    assertThatThrownBy(() -> blocks.textSince(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void textHandedOut_cannotBeTakenBack() throws IOException {
    TextBlocks blocks = new TextBlocks(new StringWriter());
    blocks.reserve(10, 0);
    blocks.handOut(5);
    assertThatThrownBy(() -> blocks.truncate(4)).isInstanceOf(IllegalStateException.class);
    assertThat(blocks.position()).isEqualTo(5);
  }

  @Test
  void releasedBlocks_areReusedByTheNextText_andThePoolIsBounded() throws IOException {
    TextBlocks first = new TextBlocks(new StringWriter());
    // More blocks than the pool keeps, all held until the end, as one big resource's text.
    for (int i = 0; i <= TextBlocks.POOLED + 10; i++) {
      first.reserve(TextBlocks.SIZE, 0);
    }
    first.handOut(first.position());
    first.release();
    assertThat(TextBlocks.pooled()).isEqualTo(TextBlocks.POOLED);

    // The next text is written into pooled blocks, which hold the old text: only the new reaches
    // the writer.
    StringWriter out = new StringWriter();
    TextBlocks second = new TextBlocks(out);
    StringBuilder model = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      int end = second.reserve(TextBlocks.SIZE - 1, 0);
      Arrays.fill(second.block(), end - (TextBlocks.SIZE - 1), end, (byte) ('a' + i));
      model.append(String.valueOf((char) ('a' + i)).repeat(TextBlocks.SIZE - 1));
    }
    assertThat(TextBlocks.pooled()).isEqualTo(TextBlocks.POOLED - 5);
    second.handOut(second.position());
    assertThat(out.toString()).isEqualTo(model.toString());
    second.release();
    assertThat(TextBlocks.pooled()).isEqualTo(TextBlocks.POOLED);
  }

  /** A writer's or a stream's sink, and the text it was given. */
  private static final class Out {
    private final StringWriter writer = new StringWriter();
    private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
    private final boolean toStream;
    final TextSink sink;

    Out(boolean toStream) {
      this.toStream = toStream;
      this.sink = toStream ? TextSink.of(stream) : TextSink.of(writer);
    }

    @Override
    public String toString() {
      return toStream ? stream.toString(StandardCharsets.US_ASCII) : writer.toString();
    }
  }

  /** A random number from 0 to {@code bound}. */
  private static long between(Random random, long bound) {
    return (long) (random.nextDouble() * (bound + 1));
  }
}
