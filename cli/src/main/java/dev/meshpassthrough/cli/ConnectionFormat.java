package dev.meshpassthrough.cli;

import java.util.List;

/**
 * One format of observed connections, one connection per line, that {@code replay} reads.
 *
 * <p>{@link ConnectionLines} picks the format of an input from its first non-empty line: the first
 * of {@link #KNOWN} that {@link #recognises} it. A format plugs in by implementing this interface
 * and taking its place in {@link #KNOWN} before the more general formats it could be mistaken for
 * (an audit log line is also a JSON object, so {@link AuditLogFormat} goes before {@link
 * AccessLogFormat}).
 *
 * <p>Implementations are stateless and thread-safe. Parsing never throws for bad input: a line that
 * is not a connection comes back as {@link ParsedLine.Malformed} with the reason.
 */
interface ConnectionFormat {

  /** The formats {@code replay} and {@code suggest} know, in the order they are tried. */
  List<ConnectionFormat> KNOWN =
      List.of(new AuditLogFormat(), new AccessLogFormat(), new CsvFormat());

  /** The format's name in the report: {@code audit-log}, {@code csv}, {@code envoy-access-log}. */
  String name();

  /** Whether {@code firstLine}, the first non-empty line of an input, is in this format. */
  boolean recognises(String firstLine);

  /**
   * Whether {@code firstLine}, the first non-empty line of an input, is this format's header, to be
   * skipped. Only the first non-empty line can be a header.
   */
  boolean isHeader(String firstLine);

  /** The connection of one non-empty line, or why there is none. */
  ParsedLine parse(String line);

  /** What one line holds. */
  sealed interface ParsedLine permits ParsedLine.Parsed, ParsedLine.Malformed {

    /**
     * A connection.
     *
     * @param connection the class of the logged connection
     */
    record Parsed(ConnectionClass connection) implements ParsedLine {}

    /**
     * Not a connection.
     *
     * @param reason why, one sentence without the line number
     */
    record Malformed(String reason) implements ParsedLine {}
  }
}
