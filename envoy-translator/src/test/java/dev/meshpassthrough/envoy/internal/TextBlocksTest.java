package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TextBlocks} against a plain model, the text written so far: random writes of every size
 * (past a block's size too) kept from a position that moves forward, text taken back to a position
 * after it, and handed out up to any position, with a recorded seed. What reaches the writer is
 * always a beginning of the model's text, and all of it in the end.
 */
class TextBlocksTest {
  private static final long SEED = 19_2026L;

  @Test
  void randomWritesTakeBacksAndHandOuts_giveTheModelsText() throws IOException {
    Random random = new Random(SEED);
    for (int round = 0; round < 40; round++) {
      StringWriter out = new StringWriter();
      TextBlocks blocks = new TextBlocks(out);
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
        assertThat((long) out.getBuffer().length()).isLessThanOrEqualTo(keepFrom);
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

  /** A random number from 0 to {@code bound}. */
  private static long between(Random random, long bound) {
    return (long) (random.nextDouble() * (bound + 1));
  }
}
