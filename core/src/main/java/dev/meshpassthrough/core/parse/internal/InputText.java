package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.StopInput.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns raw input into text: reads at most the byte limit (never the rest of a huge input), and
 * decodes strict UTF-8, so that a bad byte is reported with its line and column instead of being
 * replaced silently. A leading UTF-8 byte order mark is accepted (the text parser drops it).
 */
final class InputText {
  private InputText() {}

  /** At most {@code limit} bytes of {@code input}; more than that is a problem. */
  static byte[] read(InputStream input, String source, int limit) throws StopInput {
    try {
      byte[] bytes = input.readNBytes(limit);
      if (bytes.length == limit && input.read() != -1) {
        throw stop(Reason.LIMIT, start(source), LimitMessages.inputBytes(limit));
      }
      return bytes;
    } catch (IOException e) {
      throw stop(Reason.SYNTAX, start(source), "cannot read input: " + FileInputs.reason(e));
    }
  }

  /** {@code bytes} as UTF-8 text. */
  static String decode(byte[] bytes, String source) throws StopInput {
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
            || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
      throw stop(
          Reason.SYNTAX,
          start(source),
          "input starts with a UTF-16 byte order mark; only UTF-8 is read");
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never decodes to more chars than it has bytes.
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      out.flip();
      throw stop(
          Reason.SYNTAX,
          endOf(out, source),
          String.format(
              Locale.ROOT,
              "input is not valid UTF-8: byte 0x%02X at byte offset %d does not start or continue a character",
              bytes[offset] & 0xFF,
              offset));
    }
    out.flip();
    return out.toString();
  }

  /** The size of {@code text} in UTF-8, counted only until it passes {@code limit}. */
  static long utf8Length(String text, int limit) {
    if (text.length() > limit) {
      return text.length();
    }
    long bytes = 0;
    for (int i = 0; i < text.length() && bytes <= limit; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isSurrogate(c)) {
        bytes += 2; // a pair is four bytes; a lone surrogate does not survive encoding anyway
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Where the text decoded so far ends: the position of the first undecodable byte. */
  private static SourceLocation endOf(CharSequence decoded, String source) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '\n') {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c) && !(i == 0 && c == '\uFEFF')) {
        column++;
      }
    }
    return new SourceLocation(source, line, column);
  }

  private static SourceLocation start(String source) {
    return new SourceLocation(source, 1, 1);
  }

  private static StopInput stop(Reason reason, SourceLocation at, String message) {
    return new StopInput(reason, new ParseProblem(at, FieldPath.root(), message));
  }
}
