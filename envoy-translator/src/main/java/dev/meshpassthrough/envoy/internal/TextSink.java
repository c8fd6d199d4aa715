package dev.meshpassthrough.envoy.internal;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Where the text of {@link YamlText} goes: ASCII bytes from its {@link TextBlocks}, and, in the
 * same order, text others write through {@link #writer()} (Jackson's YAML generator, for an item or
 * the document's last line). Either a {@link Writer}, which gets the bytes widened to characters,
 * or an {@link OutputStream} of UTF-8, which gets them as they are: ASCII is its own UTF-8, so the
 * bytes are not widened to characters and encoded back (7–8% of printing a YAML document through a
 * writer).
 */
abstract class TextSink {
  /** Hands on {@code count} bytes of ASCII characters of {@code bytes} from {@code offset}. */
  abstract void write(byte[] bytes, int offset, int count) throws IOException;

  /**
   * Hands on whatever is held back: bytes {@link #write} was given (a writer's sink stages them as
   * characters), or text given to {@link #writer()} (a stream's sink encodes it through a buffer).
   * Called before text goes to the writer, and at the end.
   */
  abstract void flush() throws IOException;

  /**
   * The writer for text not written as ASCII bytes: what goes to it comes after what {@link #write}
   * was given before {@link #flush}, and before what it is given after.
   */
  abstract Writer writer();

  /** A sink that hands everything to {@code out} as characters. */
  static TextSink of(Writer out) {
    return new ToWriter(out);
  }

  /**
   * A sink that hands everything to {@code out} as UTF-8: the bytes as they are, the writer's text
   * encoded. Neither closes {@code out}.
   */
  static TextSink of(OutputStream out) {
    return new ToStream(out);
  }

  /** Widens bytes to characters for a writer. */
  private static final class ToWriter extends TextSink {
    private final Writer out;

    /** Characters for the writer, widened from bytes, its first {@code stagedLength}. */
    private final char[] staged = new char[2 * TextBlocks.SIZE];

    private int stagedLength;

    private final CharsetDecoder latin1 = StandardCharsets.ISO_8859_1.newDecoder();

    ToWriter(Writer out) {
      this.out = out;
    }

    /**
     * Widened by an ISO 8859-1 decoder, whose loop the JDK does as one intrinsic copy (a loop of
     * our own was not vectorized), and passed on at least {@link TextBlocks#SIZE} at a time, which
     * a CLI's buffered writer passes on without copying them into its buffer.
     */
    @Override
    void write(byte[] bytes, int offset, int count) throws IOException {
      ByteBuffer in = ByteBuffer.wrap(bytes, offset, count);
      while (in.hasRemaining()) {
        CharBuffer into = CharBuffer.wrap(staged, stagedLength, staged.length - stagedLength);
        latin1.decode(in, into, false);
        stagedLength = into.position();
        if (stagedLength >= TextBlocks.SIZE) {
          flush();
        }
      }
    }

    @Override
    void flush() throws IOException {
      out.write(staged, 0, stagedLength);
      stagedLength = 0;
    }

    @Override
    Writer writer() {
      return out;
    }
  }

  /** Hands bytes to a stream as they are, and encodes the writer's text as UTF-8 into it. */
  private static final class ToStream extends TextSink {
    private final OutputStream out;

    /** The writer into the stream, made when first asked for. */
    private @Nullable Encoding writer;

    ToStream(OutputStream out) {
      this.out = out;
    }

    @Override
    void write(byte[] bytes, int offset, int count) throws IOException {
      // Text given to the writer before these bytes goes first.
      flush();
      out.write(bytes, offset, count);
    }

    @Override
    void flush() throws IOException {
      Encoding held = writer;
      if (held != null && held.holding) {
        held.flush();
        held.holding = false;
      }
    }

    @Override
    Writer writer() {
      Encoding made = writer;
      if (made == null) {
        made = new Encoding(out);
        writer = made;
      }
      return made;
    }
  }

  /** A UTF-8 writer into a stream that knows whether it may hold text not yet in the stream. */
  private static final class Encoding extends FilterWriter {
    private boolean holding;

    Encoding(OutputStream out) {
      super(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    @Override
    public void write(int c) throws IOException {
      holding = true;
      out.write(c);
    }

    @Override
    public void write(char[] text, int offset, int count) throws IOException {
      holding = true;
      out.write(text, offset, count);
    }

    @Override
    public void write(String text, int offset, int count) throws IOException {
      holding = true;
      out.write(text, offset, count);
    }
  }
}
