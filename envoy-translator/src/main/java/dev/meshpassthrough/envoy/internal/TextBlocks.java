package dev.meshpassthrough.envoy.internal;

import java.io.IOException;
import java.io.Writer;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Text of {@link YamlText} not yet handed to its writer: ASCII characters (all YamlText writes), a
 * byte each, in blocks of {@link #SIZE}, so that holding a whole resource's text (which may be
 * taken back) costs a byte per character and growing it copies nothing. Positions count the
 * characters written since the start.
 *
 * <p>A full block is handed to the writer when the text after the position the caller keeps from
 * has moved past it; handed blocks are reused. When the text is complete ({@link #release}), the
 * blocks go to a pool shared by every TextBlocks, of at most {@link #POOLED} blocks held softly, so
 * that printing again in the same process (a watching CLI, an embedder, the benchmark) writes into
 * blocks it has written before instead of allocating and zeroing a resource's text again (6–8% of
 * printing a 10,000-entry YAML document, whose largest resource is some 12 MB of text).
 */
final class TextBlocks {
  /**
   * A block's size: as large as a CLI's buffered writer's buffer, which then passes a full block on
   * with one copy, as characters.
   */
  static final int SIZE = 1 << 16;

  /** The most blocks the pool keeps: 16 MiB. */
  static final int POOLED = 256;

  /** The pool's blocks, cleared by the garbage collector when memory runs short. */
  private static SoftReference<ArrayDeque<byte[]>> pool = new SoftReference<>(new ArrayDeque<>());

  private final @Nullable TextSink out;

  /** The block being written: its first {@code length} bytes. */
  private byte[] block;

  private int length;

  /** The position of the block's first byte. */
  private long base;

  /** The position of the first full block's first byte ({@code base} when there is none). */
  private long fullStart;

  /** Full blocks not handed to the writer yet, in order, with how many of their bytes are text. */
  private final List<byte[]> full = new ArrayList<>();

  private int[] fills = new int[8];

  /** Blocks handed to the writer, to be written again. */
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();

  /** How many blocks were started: text written while it stays the same is in one block. */
  private int started;

  /** Blocks for {@code out}, or none for a YamlText that only checks and never writes. */
  TextBlocks(@Nullable Writer out) {
    this(out == null ? null : TextSink.of(out));
  }

  /** Blocks for {@code out}, or none for a YamlText that only checks and never writes. */
  TextBlocks(@Nullable TextSink out) {
    this.out = out;
    this.block = out == null ? new byte[0] : newBlock();
  }

  /**
   * Gives the blocks to the pool, once the text is handed out up to where it is dropped: this
   * TextBlocks is not written again.
   */
  void release() {
    if (block.length == SIZE) {
      spare.push(block);
    }
    block = new byte[0];
    length = 0;
    recycle(0, full.size());
    synchronized (TextBlocks.class) {
      ArrayDeque<byte[]> held = pool.get();
      if (held == null) {
        held = new ArrayDeque<>();
        pool = new SoftReference<>(held);
      }
      while (held.size() < POOLED && !spare.isEmpty()) {
        held.push(spare.pop());
      }
    }
    spare.clear();
  }

  /** How many blocks the pool holds. */
  static synchronized int pooled() {
    ArrayDeque<byte[]> held = pool.get();
    return held == null ? 0 : held.size();
  }

  /** A block from the spare ones, else from the pool, else a new one. */
  private byte[] newBlock() {
    byte[] reused = spare.poll();
    if (reused == null) {
      synchronized (TextBlocks.class) {
        ArrayDeque<byte[]> held = pool.get();
        reused = held == null ? null : held.poll();
      }
    }
    return reused != null ? reused : new byte[SIZE];
  }

  /** The block being written, valid until the next {@link #reserve}. */
  byte[] block() {
    return block;
  }

  /** The current position. */
  long position() {
    return base + length;
  }

  /** How many blocks were started so far. */
  int started() {
    return started;
  }

  /**
   * A copy of the text from position {@code start}, which is in the block being written, to the
   * current position.
   */
  byte[] textSince(long start) {
    if (start < base) {
      throw new IllegalStateException("the text is in the block being written");
    }
    return Arrays.copyOfRange(block, (int) (start - base), length);
  }

  /**
   * Makes room for {@code count} more bytes in one block and counts them as written, giving where
   * they end in {@link #block()}: in a new block when the current one is full, after handing the
   * full blocks wholly before {@code keepFrom} to the writer.
   */
  int reserve(int count, long keepFrom) throws IOException {
    if (length + count > block.length) {
      next(count, keepFrom);
    }
    length += count;
    return length;
  }

  /**
   * Takes back the bytes of the block being written from {@code end} on, which {@link #reserve}
   * counted: {@code end} is in the block.
   */
  void unreserve(int end) {
    length = end;
  }

  private void next(int count, long keepFrom) throws IOException {
    if (fills.length == full.size()) {
      fills = Arrays.copyOf(fills, fills.length * 2);
    }
    fills[full.size()] = length;
    full.add(block);
    base += length;
    // The full blocks before keepFrom, oldest first.
    int handed = 0;
    while (handed < full.size() && fullStart + fills[handed] <= keepFrom) {
      writeOut(full.get(handed), fills[handed]);
      fullStart += fills[handed];
      handed++;
    }
    recycle(0, handed);
    block = count <= SIZE ? newBlock() : new byte[count];
    length = 0;
    started++;
  }

  /** Removes the full blocks from {@code from} to {@code to}, reusing those of the usual size. */
  private void recycle(int from, int to) {
    List<byte[]> removed = full.subList(from, to);
    for (byte[] bytes : removed) {
      if (bytes.length == SIZE) {
        spare.push(bytes);
      }
    }
    removed.clear();
    System.arraycopy(fills, to, fills, from, full.size() - from);
  }

  /** Hands the text before position {@code end} to the writer, and drops the text after it. */
  void handOut(long end) throws IOException {
    if (end < fullStart || end > position()) {
      throw new IllegalStateException("text is handed out up to a position in the blocks");
    }
    long start = fullStart;
    for (int i = 0; i < full.size() && start < end; i++) {
      writeOut(full.get(i), (int) Math.min(fills[i], end - start));
      start += fills[i];
    }
    if (start < end) {
      writeOut(block, (int) (end - start));
    }
    writeStaged();
    recycle(0, full.size());
    fullStart = end;
    base = end;
    length = 0;
    started++;
  }

  /** Drops the text from position {@code start} on, which must not have been handed out. */
  void truncate(long start) {
    if (start < fullStart || start > position()) {
      throw new IllegalStateException("text is taken back from a position in the blocks");
    }
    if (start < base) {
      // The block holding the position is a full one: it is written again, the later ones reused.
      int at = full.size();
      while (start < base) {
        at--;
        base -= fills[at];
      }
      if (block.length == SIZE) {
        spare.push(block);
      }
      recycle(at + 1, full.size());
      block = full.remove(at);
      started++;
    }
    length = (int) (start - base);
  }

  /** Hands {@code count} bytes of {@code bytes} to the sink. */
  private void writeOut(byte[] bytes, int count) throws IOException {
    sink().write(bytes, 0, count);
  }

  private void writeStaged() throws IOException {
    sink().flush();
  }

  private TextSink sink() {
    if (out == null) {
      throw new IllegalStateException("a writing YamlText has a writer");
    }
    return out;
  }
}
