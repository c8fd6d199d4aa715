package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log of {@code --enforcement audit} as input of {@code replay}: recognition, the four
 * protocols, absent values, the port as number or string, IPv6, malformed lines.
 */
class AuditLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The contract's example line. */
  static final String EXAMPLE =
      "{\"time\":\"2026-12-05T02:40:20.123Z\",\"verdict\":\"would-deny\","
          + "\"destination_address\":\"10.0.0.1\",\"destination_port\":443,"
          + "\"sni\":\"api.example.com\",\"authority\":null,\"protocol\":\"tls\","
          + "\"listener\":\"outbound:passthrough:ipv4\",\"chain\":\"meshpassthrough_audit_443_*_tls\","
          + "\"nearest_entry\":\"Domain api.example.com:443/tls\"}";

  @TempDir Path dir;

  @Test
  void aLineWithAVerdictKey_isAnAuditLog_evenAfterNestedValues_andGoesBeforeTheAccessLog()
      throws Exception {
    assertThat(ConnectionFormat.KNOWN.get(0)).isInstanceOf(AuditLogFormat.class);
    AuditLogFormat format = new AuditLogFormat();
    assertThat(format.recognises(EXAMPLE)).isTrue();
    assertThat(format.recognises("{\"extra\":{\"verdict\":1},\"list\":[1,{}],\"verdict\":null}"))
        .isTrue();
    assertThat(format.recognises("{\"extra\":{\"verdict\":\"would-deny\"}}")).isFalse();
    assertThat(format.recognises("{\"downstream_local_address\":\"10.0.0.1:443\"}")).isFalse();
    assertThat(format.recognises("{\"destination_port\":443, broken")).isFalse();
    assertThat(format.recognises("tls,10.0.0.1,443,a.example.com")).isFalse();

    assertThat(read(EXAMPLE + "\n").summary().format()).isEqualTo("audit-log");
    assertThat(read("{\"downstream_local_address\":\"10.0.0.5:1\"}\n").summary().format())
        .isEqualTo("envoy-access-log");
  }

  @Test
  void eachProtocol_mapsToItsConnectionClass() throws Exception {
    assertThat(
            read(EXAMPLE
                    + "\n"
                    + line("10.0.0.2", "80", "\"http\"", null, "\"web.example.com:8080\"")
                    + "\n"
                    + line("10.0.0.3", "8080", "\"h2c\"", null, "\"grpc.example.com\"")
                    + "\n"
                    + line("10.0.0.4", "5432", "\"raw\"", "\"ignored.example.com\"", "\"x\""))
                .events())
        .containsExactly(
            "tls: TLS (SNI api.example.com) to 10.0.0.1:443",
            "http: HTTP/1.1 (Host web.example.com:8080) to 10.0.0.2:80",
            "http2: h2c (:authority grpc.example.com) to 10.0.0.3:8080",
            "tcp: opaque bytes to 10.0.0.4:5432");
  }

  @Test
  void nullDashEmptyAndAbsentNames_areAbsent_andTheWrongProtocolsNameIsIgnored() throws Exception {
    assertThat(
            read(line("10.0.0.1", "443", "\"tls\"", "null", "\"a.example.com\"")
                    + "\n"
                    + line("10.0.0.1", "443", "\"tls\"", "\"-\"", null)
                    + "\n"
                    + line("10.0.0.1", "443", "\"tls\"", "\"\"", null)
                    + "\n"
                    + line("10.0.0.1", "443", "\"tls\"", null, null)
                    + "\n"
                    + line("10.0.0.1", "80", "\"http\"", "\"sni.example.com\"", "\"-\""))
                .events())
        .containsExactly(
            "tls: TLS (no SNI) to 10.0.0.1:443",
            "tls: TLS (no SNI) to 10.0.0.1:443",
            "tls: TLS (no SNI) to 10.0.0.1:443",
            "tls: TLS (no SNI) to 10.0.0.1:443",
            "http: HTTP/1.1 (no Host) to 10.0.0.1:80");
  }

  @Test
  void thePort_isANumberOrAString_andIPv6_isUnbracketed() throws Exception {
    assertThat(
            read(line("2001:db8::7", "\"443\"", "\"tls\"", "\"a.example.com\"", null)
                    + "\n"
                    + line("2001:db8::7", "5432", "\"raw\"", null, null))
                .events())
        .containsExactly(
            "tls: TLS (SNI a.example.com) to [2001:db8::7]:443",
            "tcp: opaque bytes to [2001:db8::7]:5432");
  }

  @Test
  void malformedLines_sayWhy_withTheirLineNumbers() throws Exception {
    String log =
        String.join(
            "\n",
            EXAMPLE,
            EXAMPLE.replace("would-deny", "allowed"),
            "{\"destination_address\":\"10.0.0.1\",\"destination_port\":1,\"protocol\":\"raw\"}",
            "",
            line("[2001:db8::1]", "443", "\"tls\"", null, null),
            line("10.0.0.1:443", "443", "\"tls\"", null, null),
            line("10.0.0.1", "0", "\"tls\"", null, null),
            line("10.0.0.1", "65536", "\"tls\"", null, null),
            line("10.0.0.1", "443.0", "\"tls\"", null, null),
            line("10.0.0.1", "\"https\"", "\"tls\"", null, null),
            line("10.0.0.1", "443", "\"quic\"", null, null),
            line("10.0.0.1", "443", "null", null, null),
            line("10.0.0.1", "443", "\"tls\"", "\"a b\"", null),
            line("10.0.0.1", "443", "\"tls\"", "7", null),
            EXAMPLE.replace("\"verdict\"", "\"verdict\":1,\"verdict\""),
            "[1]",
            EXAMPLE + " {}");
    assertThat(read(log).events())
        .containsExactly(
            "tls: TLS (SNI api.example.com) to 10.0.0.1:443",
            "2: 'verdict' 'allowed' is not would-deny",
            "3: 'verdict' is missing",
            "5: 'destination_address' '[2001:db8::1]' is not an IPv4 or IPv6 address (no brackets,"
                + " no port)",
            "6: 'destination_address' '10.0.0.1:443' is not an IPv4 or IPv6 address (no brackets,"
                + " no port)",
            "7: 'destination_port' '0' is not a port within 1-65535",
            "8: 'destination_port' '65536' is not a port within 1-65535",
            "9: 'destination_port' must be a whole number, a string or null",
            "10: 'destination_port' 'https' is not a port within 1-65535",
            "11: 'protocol' 'quic' is not tls, http, h2c or raw",
            "12: 'protocol' is missing",
            "13: the sni or authority 'a b' holds a space or a non-ASCII character",
            "14: 'sni' must be a string or null",
            "15: 'verdict' must be a string or null",
            "16: not a JSON object",
            "17: text after the JSON object");
  }

  @Test
  void replay_ofAnAuditLog_namesItsFormat_inTextAndJson() throws IOException {
    Path log =
        Files.writeString(
            dir.resolve("audit.log"),
            EXAMPLE + "\n" + line("10.0.0.6", "5432", "\"raw\"", null, null) + "\n",
            StandardCharsets.UTF_8);
    Path policy = Files.writeString(dir.resolve("policy.yaml"), ReplayCommandTest.POLICY);

    CliRun text = CliRun.of("replay", "--connections", log.toString(), policy.toString());
    CliRun json =
        CliRun.of("replay", "--output", "json", "--connections", log.toString(), policy.toString());

    assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .startsWith("replay of 2 lines (audit-log), Envoy of profile exact\n")
        .contains("DENY           1  tcp: opaque bytes to 10.0.0.6:5432")
        .contains("ALLOW          1  tls: TLS (SNI api.example.com) to 10.0.0.1:443");
    JsonNode tree = JSON.readTree(json.out());
    assertThat(tree.get("format").asText()).isEqualTo("audit-log");
    assertThat(tree.get("connections").asLong()).isEqualTo(2);
  }

  /** An audit line; a null argument leaves its key out, others are JSON as written. */
  static String line(
      String address,
      String port,
      String protocol,
      @Nullable String sni,
      @Nullable String authority) {
    StringBuilder out = new StringBuilder("{\"verdict\":\"would-deny\"");
    out.append(",\"destination_address\":\"").append(address).append('"');
    out.append(",\"destination_port\":").append(port);
    out.append(",\"protocol\":").append(protocol);
    if (sni != null) {
      out.append(",\"sni\":").append(sni);
    }
    if (authority != null) {
      out.append(",\"authority\":").append(authority);
    }
    return out.append('}').toString();
  }

  private static ConnectionLinesTest.Recorded read(String text) throws Exception {
    return ConnectionLinesTest.read(text, ConnectionLines.OnMalformed.CONTINUE);
  }
}
