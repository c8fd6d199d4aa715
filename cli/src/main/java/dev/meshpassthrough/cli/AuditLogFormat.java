package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.meshpassthrough.core.model.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The audit log of {@code --enforcement audit} (README "Audit mode"): one JSON object per line for
 * each connection the policy would deny, which Envoy forwarded through a {@code
 * meshpassthrough_audit_...} chain. A line is recognised by its {@code "verdict"} key; these keys
 * are read, any other is ignored ({@code time}, {@code listener}, {@code chain}, {@code
 * nearest_entry}, and keys added later):
 *
 * <ul>
 *   <li>{@code verdict}: {@code would-deny}; any other value is malformed;
 *   <li>{@code destination_address}: the dialed IPv4 or IPv6 literal, without brackets or port;
 *       required;
 *   <li>{@code destination_port}: the dialed port, a JSON number or a string of digits; required;
 *   <li>{@code protocol}: {@code tls} (SNI in {@code sni}), {@code http} (HTTP/1.1, Host in {@code
 *       authority}), {@code h2c} (HTTP/2 cleartext, {@code :authority} in {@code authority}) or
 *       {@code raw} (anything else); read as {@code tls}, {@code http}, {@code http2} and {@code
 *       tcp}; required;
 *   <li>{@code sni}, {@code authority}: the names as sent ({@code authority} may carry a port).
 * </ul>
 *
 * <p>JSON {@code null}, {@code "-"}, an empty string and a missing key mean absent. The {@code
 * authority} of a {@code tls} line and the names of a {@code raw} line are ignored, as the access
 * log's are.
 */
final class AuditLogFormat implements ConnectionFormat {
  /** The key that tells an audit line from an access log line. */
  static final String VERDICT = "verdict";

  /** The only verdict the audit log writes. */
  static final String WOULD_DENY = "would-deny";

  @Override
  public String name() {
    return "audit-log";
  }

  @Override
  public boolean recognises(String firstLine) {
    // Broken JSON before any "verdict" is not recognised: the access log format says what is wrong.
    return JsonLine.hasKey(firstLine, VERDICT);
  }

  @Override
  public boolean isHeader(String firstLine) {
    return false;
  }

  @Override
  public ParsedLine parse(String line) {
    Fields fields = new Fields();
    Optional<String> problem = JsonLine.read(line, fields);
    return problem.isPresent() ? new ParsedLine.Malformed(problem.get()) : fields.connection();
  }

  /** The values of the keys read; absent when missing, null, empty or {@code -}. */
  private static final class Fields implements JsonLine.Fields {
    private @Nullable String verdict;
    private @Nullable String address;
    private @Nullable String port;
    private @Nullable String protocol;
    private @Nullable String sni;
    private @Nullable String authority;

    @Override
    public Optional<String> put(String key, JsonToken value, JsonParser parser) throws IOException {
      boolean read =
          switch (key) {
            case VERDICT,
                "destination_address",
                "destination_port",
                "protocol",
                "sni",
                "authority" ->
                true;
            default -> false;
          };
      if (!read) {
        parser.skipChildren();
        return Optional.empty();
      }
      if (value == JsonToken.VALUE_NULL) {
        return Optional.empty();
      }
      boolean portNumber = key.equals("destination_port") && value == JsonToken.VALUE_NUMBER_INT;
      if (value != JsonToken.VALUE_STRING && !portNumber) {
        return Optional.of(
            "'"
                + key
                + "' must be "
                + (key.equals("destination_port") ? "a whole number, a string" : "a string")
                + " or null");
      }
      String text = parser.getText();
      String present = text.isEmpty() || text.equals("-") ? null : text;
      switch (key) {
        case VERDICT -> verdict = present;
        case "destination_address" -> address = present;
        case "destination_port" -> port = present;
        case "protocol" -> protocol = present;
        case "sni" -> sni = present;
        default -> authority = present;
      }
      return Optional.empty();
    }

    ParsedLine connection() {
      if (verdict == null) {
        return new ParsedLine.Malformed("'verdict' is missing");
      }
      if (!verdict.equals(WOULD_DENY)) {
        return new ParsedLine.Malformed(
            "'verdict' '" + ReplayText.printable(verdict) + "' is not " + WOULD_DENY);
      }
      if (address == null) {
        return new ParsedLine.Malformed("'destination_address' is missing");
      }
      Optional<InetAddress> ip = CsvFormat.ip(address);
      if (ip.isEmpty()) {
        return new ParsedLine.Malformed(
            "'destination_address' '"
                + ReplayText.printable(address)
                + "' is not an IPv4 or IPv6 address (no brackets, no port)");
      }
      if (port == null) {
        return new ParsedLine.Malformed("'destination_port' is missing");
      }
      int number = CsvFormat.port(port);
      if (number < 1) {
        return new ParsedLine.Malformed(
            "'destination_port' '" + ReplayText.printable(port) + "' is not a port within 1-65535");
      }
      if (protocol == null) {
        return new ParsedLine.Malformed("'protocol' is missing");
      }
      Protocol seen;
      Optional<String> name;
      switch (protocol) {
        case "tls" -> {
          seen = Protocol.TLS;
          name = Optional.ofNullable(sni);
        }
        case "http" -> {
          seen = Protocol.HTTP;
          name = Optional.ofNullable(authority);
        }
        case "h2c" -> {
          seen = Protocol.HTTP2;
          name = Optional.ofNullable(authority);
        }
        case "raw" -> {
          seen = Protocol.TCP;
          name = Optional.empty();
        }
        default -> {
          return new ParsedLine.Malformed(
              "'protocol' '" + ReplayText.printable(protocol) + "' is not tls, http, h2c or raw");
        }
      }
      if (name.isPresent() && !ReplayText.isName(name.get())) {
        return new ParsedLine.Malformed(
            "the sni or authority '"
                + ReplayText.printable(name.get())
                + "' holds a space or a non-ASCII character");
      }
      return new ParsedLine.Parsed(ConnectionClass.of(seen, ip.get(), number, name));
    }
  }
}
