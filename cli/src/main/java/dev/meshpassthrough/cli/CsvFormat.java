package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Protocol;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The simple CSV of {@code replay}: {@code protocol,dst_ip,dst_port,sni_or_host}, with an optional
 * header line naming exactly those fields.
 *
 * <p>{@code protocol} is a wire name of {@link Protocol} ({@code tcp}, {@code tls}, {@code http},
 * {@code http2}, {@code grpc}, {@code mysql}), exactly; {@code dst_ip} an IPv4 or IPv6 literal
 * (IPv6 unbracketed: the fields are split at commas, which an address never holds), read with
 * Guava, never resolved; {@code dst_port} 1 to 65535; {@code sni_or_host} the SNI of {@code tls} or
 * the Host ({@code :authority}) of {@code http}, {@code http2} and {@code grpc} exactly as sent,
 * empty when none was sent and always empty for {@code tcp} and {@code mysql}. Spaces around a
 * field are ignored.
 */
final class CsvFormat implements ConnectionFormat {
  /** The header line, exactly. */
  static final String HEADER = "protocol,dst_ip,dst_port,sni_or_host";

  private static final int FIELDS = 4;

  @Override
  public String name() {
    return "csv";
  }

  @Override
  public boolean recognises(String firstLine) {
    return isHeader(firstLine) || commas(firstLine) == FIELDS - 1;
  }

  @Override
  public boolean isHeader(String firstLine) {
    return firstLine.strip().equals(HEADER);
  }

  @Override
  public ParsedLine parse(String line) {
    if (commas(line) != FIELDS - 1) {
      return new ParsedLine.Malformed(
          "expected 4 comma-separated fields (" + HEADER + "), got " + (commas(line) + 1));
    }
    int first = line.indexOf(',');
    int second = line.indexOf(',', first + 1);
    int third = line.indexOf(',', second + 1);
    String protocolText = line.substring(0, first).strip();
    Optional<Protocol> protocol = Protocol.fromWireName(protocolText);
    if (protocol.isEmpty()) {
      return new ParsedLine.Malformed(
          "unknown protocol '"
              + ReplayText.printable(protocolText)
              + "': use tcp, tls, http, http2, grpc or mysql");
    }
    Optional<InetAddress> ip = ip(line.substring(first + 1, second).strip());
    if (ip.isEmpty()) {
      return new ParsedLine.Malformed(
          "dst_ip '"
              + ReplayText.printable(line.substring(first + 1, second).strip())
              + "' is not an IPv4 or IPv6 address");
    }
    int port = port(line.substring(second + 1, third).strip());
    if (port < 1) {
      return new ParsedLine.Malformed(
          "dst_port '"
              + ReplayText.printable(line.substring(second + 1, third).strip())
              + "' is not a port within 1-65535");
    }
    String name = line.substring(third + 1).strip();
    if (!ReplayText.isName(name)) {
      return new ParsedLine.Malformed(
          "sni_or_host '"
              + ReplayText.printable(name)
              + "' holds a space or a non-ASCII character");
    }
    try {
      return new ParsedLine.Parsed(
          ConnectionClass.of(
              protocol.get(),
              ip.get(),
              port,
              name.isEmpty() ? Optional.empty() : Optional.of(name)));
    } catch (IllegalArgumentException e) {
      return new ParsedLine.Malformed(String.valueOf(e.getMessage()));
    }
  }

  /** An IPv4 or IPv6 literal without zone id, through Guava; never DNS. */
  static Optional<InetAddress> ip(String text) {
    return IpLiteral.parse(text).filter(l -> !l.zoneId()).map(IpLiteral::address);
  }

  /** The port 1-65535 written in decimal digits, or -1. */
  static int port(String text) {
    if (text.isEmpty() || text.length() > 5) {
      return -1;
    }
    int port = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65_535 ? port : -1;
  }

  private static int commas(String line) {
    int commas = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        commas++;
      }
    }
    return commas;
  }
}
