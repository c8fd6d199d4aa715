package dev.meshpassthrough.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads observed connections, one per line, streaming: the format is chosen from the first
 * non-empty line (a CSV {@code protocol,dst_ip,dst_port,sni_or_host}, an Envoy JSON access log, or
 * the audit log of {@code --enforcement audit}), then every line is parsed and handed to a {@link
 * Sink}. No line is kept once handed over.
 *
 * <p>Lines end in {@code \n} or {@code \r\n}; lines holding only spaces are skipped; a line longer
 * than {@value #MAX_LINE} characters is malformed and skipped without being held. Line numbers
 * count every line from 1. Not thread-safe: one instance reads one input once.
 */
public final class ConnectionLines {
  /** The longest line read; the rest of a longer one is skipped. */
  public static final int MAX_LINE = 65_536;

  private final Reader reader;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder carry = new StringBuilder();
  private int position;
  private int limit;
  private boolean tooLong;
  private long lineNumber;

  private ConnectionLines(Reader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * Lines to be read from {@code reader}, which the caller closes.
   *
   * @param reader the text, not null; read once, unbuffered reads are fine
   * @return the lines, not yet read
   */
  public static ConnectionLines of(Reader reader) {
    return new ConnectionLines(reader);
  }

  /** What happens to the rest of the input after a malformed line. */
  public enum OnMalformed {
    /** Report it to the sink and read on. */
    CONTINUE,
    /** Report it to the sink and stop reading. */
    STOP
  }

  /** Receives what the lines hold, in input order. */
  public interface Sink {
    /**
     * One line's connection.
     *
     * @param connection its class, never null
     */
    void connection(ConnectionClass connection);

    /**
     * One line that is not a connection.
     *
     * @param line its number, from 1
     * @param reason why, one sentence, never null; control characters of the input are escaped
     */
    void malformed(long line, String reason);
  }

  /**
   * How the input was read.
   *
   * @param format the name of the format found: {@code csv}, {@code envoy-access-log} or {@code
   *     audit-log}; {@code none} for an input without a non-empty line
   * @param lines the lines read (all of them, or up to the malformed one {@link OnMalformed#STOP}
   *     stopped at)
   */
  public record Summary(String format, long lines) {}

  /**
   * Thrown when the first non-empty line is in no known format, so that no line can be read.
   *
   * <p>Its message names the line and what was expected.
   */
  public static final class UnknownFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownFormatException(String message) {
      super(message);
    }
  }

  /**
   * Reads every line into {@code sink}.
   *
   * @param sink receives each connection and each malformed line, not null
   * @param onMalformed whether to read on after a malformed line
   * @return the format and the number of lines read
   * @throws IOException when the reader fails
   * @throws UnknownFormatException when the first non-empty line is in no known format
   */
  public Summary read(Sink sink, OnMalformed onMalformed)
      throws IOException, UnknownFormatException {
    Optional<ConnectionFormat> format = Optional.empty();
    for (String line = nextLine(); line != null; line = nextLine()) {
      if (tooLong) {
        if (format.isEmpty()) {
          throw new UnknownFormatException(
              "line "
                  + lineNumber
                  + " is longer than "
                  + MAX_LINE
                  + " characters: cannot tell the format of the connections");
        }
        sink.malformed(lineNumber, "the line is longer than " + MAX_LINE + " characters");
        if (onMalformed == OnMalformed.STOP) {
          break;
        }
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      if (format.isEmpty()) {
        format = Optional.of(detect(line));
        if (format.get().isHeader(line)) {
          continue;
        }
      }
      ConnectionFormat.ParsedLine parsed = format.get().parse(line);
      if (parsed instanceof ConnectionFormat.ParsedLine.Parsed connection) {
        sink.connection(connection.connection());
      } else if (parsed instanceof ConnectionFormat.ParsedLine.Malformed malformed) {
        sink.malformed(lineNumber, malformed.reason());
        if (onMalformed == OnMalformed.STOP) {
          break;
        }
      }
    }
    return new Summary(format.map(ConnectionFormat::name).orElse("none"), lineNumber);
  }

  private ConnectionFormat detect(String line) throws UnknownFormatException {
    for (ConnectionFormat format : ConnectionFormat.KNOWN) {
      if (format.recognises(line)) {
        return format;
      }
    }
    throw new UnknownFormatException(
        "line "
            + lineNumber
            + " is neither CSV ("
            + CsvFormat.HEADER
            + ") nor an Envoy JSON access log line: '"
            + ReplayText.printable(line)
            + "'");
  }

  /**
   * The next line without its end, or null at the end of the input; sets {@link #tooLong} when the
   * line was cut (its text is then empty).
   */
  private @Nullable String nextLine() throws IOException {
    carry.setLength(0);
    tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = reader.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          lineNumber++;
          return end(tooLong ? "" : carry.toString());
        }
      }
      any = true;
      int start = position;
      int newline = -1;
      for (int i = start; i < limit; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? limit : newline;
      if (!tooLong) {
        if (carry.length() + (end - start) > MAX_LINE) {
          tooLong = true;
          carry.setLength(0);
        } else if (newline >= 0 && carry.length() == 0) {
          position = newline + 1;
          lineNumber++;
          return end(new String(buffer, start, end - start));
        } else {
          carry.append(buffer, start, end - start);
        }
      }
      if (newline >= 0) {
        position = newline + 1;
        lineNumber++;
        return end(tooLong ? "" : carry.toString());
      }
      position = limit;
    }
  }

  private static String end(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
