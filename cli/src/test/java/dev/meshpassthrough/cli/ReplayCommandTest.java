package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} through the command line: the CSV, the report, the exit codes. */
class ReplayCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Allows one TLS name, one HTTP host, one IPv4 and one IPv6 tcp address. */
  static final String POLICY =
      """
      type: MeshPassthrough
      name: egress
      mesh: default
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
          - {type: Domain, value: web.example.com, port: 80, protocol: http}
          - {type: IP, value: 10.0.0.5, port: 5432, protocol: tcp}
          - {type: IP, value: "2001:db8::5", port: 5432, protocol: tcp}
      """;

  static final String CSV =
      """
      tls,192.0.2.1,443,api.example.com
      tls,192.0.2.1,443,api.example.com
      tls,192.0.2.1,443,evil.example.com
      http,192.0.2.1,80,web.example.com
      tcp,10.0.0.5,5432,
      tcp,2001:db8::5,5432,
      tcp,2001:db8::6,5432,
      """;

  static final String REPORT =
      """
      replay of 7 lines (csv), Envoy of profile exact
      DENY           1  tcp: opaque bytes to [2001:db8::6]:5432  (intent DENY)
      DENY           1  tls: TLS (SNI evil.example.com) to 192.0.2.1:443  (intent DENY)
      ALLOW          2  tls: TLS (SNI api.example.com) to 192.0.2.1:443  (intent ALLOW, \
      appendMatch[0] Domain api.example.com:443/tls)
      ALLOW          1  http: HTTP/1.1 (Host web.example.com) to 192.0.2.1:80  (intent ALLOW, \
      appendMatch[1] Domain web.example.com:80/http)
      ALLOW          1  tcp: opaque bytes to 10.0.0.5:5432  (intent ALLOW, \
      appendMatch[2] IP 10.0.0.5:5432/tcp)
      ALLOW          1  tcp: opaque bytes to [2001:db8::5]:5432  (intent ALLOW, \
      appendMatch[3] IP 2001:db8::5:5432/tcp)

      lines: 7 read, 7 connections, 0 malformed
      classes: 6, 0 where the intent and Envoy disagree
      connections: 5 allowed, 2 denied by Envoy
      top denied destinations:
                 1  [2001:db8::6]:5432
                 1  evil.example.com:443
      """;

  @TempDir Path dir;

  @Test
  void csvWithoutHeader_reportsEachClassOnce_deniedFirst_withCountAndCoveringEntry()
      throws IOException {
    CliRun run = CliRun.of("replay", "--connections", file("c.csv", CSV), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo(REPORT);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void csvHeader_isSkipped_andCountsAsALineOnly() throws IOException {
    CliRun run =
        CliRun.of(
            "replay", "--connections", file("c.csv", CsvFormat.HEADER + "\n" + CSV), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .isEqualTo(
            REPORT
                .replace("replay of 7 lines", "replay of 8 lines")
                .replace("lines: 7 read", "lines: 8 read"));
  }

  @Test
  void headerAfterTheFirstLine_isMalformed() throws IOException {
    CliRun run =
        CliRun.of(
            "replay",
            "--connections",
            file("c.csv", "tcp,10.0.0.5,5432,\n" + CsvFormat.HEADER + "\n"),
            policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("1 connections, 1 malformed")
        .contains("  line 2: unknown protocol 'protocol'");
  }

  @Test
  void ipv6_isReadUnbracketed_andCanonicalised_soThatSpellingsShareAClass() throws IOException {
    CliRun run =
        CliRun.of(
            "replay",
            "--connections",
            file("c.csv", "tcp,2001:db8::5,5432,\ntcp,2001:DB8:0:0:0:0:0:5,5432,\n"),
            policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("ALLOW          2  tcp: opaque bytes to [2001:db8::5]:5432")
        .contains("classes: 1,");
  }

  @Test
  void malformedLines_areCountedAndListedWithLineNumbers_theFirstTenOnly() throws IOException {
    StringBuilder text = new StringBuilder("tcp,10.0.0.5,5432,\n");
    text.append("udp,10.0.0.5,53,\n"); // line 2
    text.append("tcp,10.0.0.300,5432,\n"); // line 3
    text.append("\n"); // line 4: blank, skipped
    text.append("tcp,10.0.0.5,0,\n"); // line 5
    text.append("tcp,10.0.0.5,5432,name.example.com\n"); // line 6
    text.append("tls,192.0.2.1,443,a b\n"); // line 7
    text.append("tls,192.0.2.1,443\n"); // line 8
    text.append("tcp,example.com,5432,\n"); // line 9
    for (int i = 0; i < 5; i++) {
      text.append("nonsense\n"); // lines 10-14
    }
    CliRun run = CliRun.of("replay", "--connections", file("c.csv", text.toString()), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("lines: 14 read, 1 connections, 12 malformed\n")
        .contains(
            "  line 2: unknown protocol 'udp': use tcp, tls, http, http2, grpc or mysql\n"
                + "  line 3: dst_ip '10.0.0.300' is not an IPv4 or IPv6 address\n"
                + "  line 5: dst_port '0' is not a port within 1-65535\n"
                + "  line 6: tcp sends no SNI or Host, but the line names 'name.example.com'\n"
                + "  line 7: sni_or_host 'a b' holds a space or a non-ASCII character\n"
                + "  line 8: expected 4 comma-separated fields (protocol,dst_ip,dst_port,sni_or_host), got 3\n"
                + "  line 9: dst_ip 'example.com' is not an IPv4 or IPv6 address\n"
                + "  line 10: expected 4 comma-separated fields")
        .contains("  line 12: expected")
        .doesNotContain("  line 13:")
        .contains("  (2 more malformed lines not listed)\n");
  }

  @Test
  void strict_stopsAtTheFirstMalformedLine_exitOne_namingIt() throws IOException {
    String connections =
        file("c.csv", "tcp,10.0.0.5,5432,\n\ntcp,10.0.0.5,99999,\nudp,1.1.1.1,1,\n");
    CliRun run = CliRun.of("replay", "--strict", "--connections", connections, policy());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "meshpassthrough: "
                + connections
                + ": line 3 is malformed: dst_port '99999' is not a port within 1-65535 (--strict)\n");
  }

  @Test
  void strict_withCleanInput_reportsAsUsual() throws IOException {
    CliRun run = CliRun.of("replay", "--strict", "--connections", file("c.csv", CSV), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo(REPORT);
  }

  @Test
  void failOnDeny_exitsFour_whenEnvoyDeniesAnyLine() throws IOException {
    CliRun run =
        CliRun.of("replay", "--fail-on-deny", "--connections", file("c.csv", CSV), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED).isEqualTo(4);
    assertThat(run.out()).isEqualTo(REPORT);
  }

  @Test
  void failOnDeny_exitsZero_whenEnvoyAllowsEveryLine() throws IOException {
    String allowed = "tls,192.0.2.1,443,api.example.com\ntcp,10.0.0.5,5432,\n";
    CliRun run =
        CliRun.of("replay", "--fail-on-deny", "--connections", file("c.csv", allowed), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("connections: 2 allowed, 0 denied by Envoy\n");
  }

  @Test
  void disagreement_isReported_andTheExitStaysZero() throws IOException {
    // Kuma's port-ip-sni-pitfall: the tcp CIDR chain wins over the SNI chain for 10.x.
    String connections = file("c.csv", "tls,10.1.2.3,443,api.example.com\n");
    CliRun run =
        CliRun.of(
            "replay",
            "--profile",
            "kuma",
            "--connections",
            connections,
            file("pitfall.yaml", ExplainCommandTest.PITFALL));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("Envoy of profile kuma")
        .contains(
            "DENY           1  tls: TLS (SNI api.example.com) to 10.1.2.3:443  (intent ALLOW, "
                + "appendMatch[0] Domain api.example.com:443/tls and 1 more; DISAGREE, known Kuma "
                + "limitation port-ip-sni-pitfall)")
        .contains("classes: 1, 1 where the intent and Envoy disagree");
  }

  @Test
  void json_hasTheDocumentedShape() throws IOException {
    String connections = file("c.csv", CSV + "udp,1.1.1.1,53,\n");
    CliRun run = CliRun.of("replay", "--output", "json", "--connections", connections, policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode root = JSON.readTree(run.out());
    assertThat(fieldNames(root))
        .containsExactly(
            "format",
            "profile",
            "lines",
            "connections",
            "malformed",
            "malformedLines",
            "classes",
            "summary");
    assertThat(root.get("format").asText()).isEqualTo("csv");
    assertThat(root.get("profile").asText()).isEqualTo("exact");
    assertThat(root.get("lines").asLong()).isEqualTo(8);
    assertThat(root.get("connections").asLong()).isEqualTo(7);
    assertThat(root.get("malformed").asLong()).isEqualTo(1);
    assertThat(root.get("malformedLines").get(0).get("line").asLong()).isEqualTo(8);
    assertThat(root.get("malformedLines").get(0).get("reason").asText())
        .startsWith("unknown protocol 'udp'");
    JsonNode classes = root.get("classes");
    assertThat(classes).hasSize(6);
    JsonNode api = classes.get(2);
    assertThat(fieldNames(api))
        .containsExactly(
            "protocol",
            "connection",
            "destination",
            "count",
            "envoy",
            "outcome",
            "intent",
            "agree",
            "knownLimitation",
            "coveringEntries");
    assertThat(api.get("protocol").asText()).isEqualTo("tls");
    assertThat(api.get("connection").asText())
        .isEqualTo("TLS (SNI api.example.com) to 192.0.2.1:443");
    assertThat(api.get("destination").asText()).isEqualTo("api.example.com:443");
    assertThat(api.get("count").asLong()).isEqualTo(2);
    assertThat(api.get("envoy").asText()).isEqualTo("ALLOW");
    assertThat(api.get("intent").asText()).isEqualTo("ALLOW");
    assertThat(api.get("agree").asBoolean()).isTrue();
    assertThat(api.get("knownLimitation").isNull()).isTrue();
    assertThat(api.get("coveringEntries").get(0).get("index").asInt()).isZero();
    assertThat(api.get("coveringEntries").get(0).get("entry").asText())
        .isEqualTo("Domain api.example.com:443/tls");
    assertThat(classes.get(0).get("envoy").asText()).isEqualTo("DENY");
    assertThat(classes.get(0).get("coveringEntries")).isEmpty();
    JsonNode summary = root.get("summary");
    assertThat(fieldNames(summary))
        .containsExactly(
            "classes", "allowedLines", "deniedLines", "disagreeingClasses", "topDenied");
    assertThat(summary.get("allowedLines").asLong()).isEqualTo(5);
    assertThat(summary.get("deniedLines").asLong()).isEqualTo(2);
    assertThat(summary.get("topDenied").get(0).get("destination").asText())
        .isEqualTo("[2001:db8::6]:5432");
    assertThat(summary.get("topDenied").get(0).get("count").asLong()).isEqualTo(1);
  }

  @Test
  void sameInput_givesTheSameBytes_andReorderedLinesTheSameClasses() throws IOException {
    String policy = policy();
    String connections = file("c.csv", CSV);
    List<String> lines = new ArrayList<>(CSV.lines().toList());
    java.util.Collections.reverse(lines);
    String reversed = file("r.csv", String.join("\n", lines) + "\n");

    CliRun first = CliRun.of("replay", "--output", "json", "--connections", connections, policy);
    CliRun second = CliRun.of("replay", "--output", "json", "--connections", connections, policy);
    CliRun other = CliRun.of("replay", "--output", "json", "--connections", reversed, policy);

    assertThat(second.out()).isEqualTo(first.out());
    assertThat(other.out()).isEqualTo(first.out());
  }

  @Test
  void connectionsFromStandardInput() throws IOException {
    CliRun run = CliRun.withStdin(CSV, "replay", "--connections", "-", policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo(REPORT);
  }

  @Test
  void standardInputForConnectionsAndPolicy_isAUsageError() {
    CliRun run = CliRun.withStdin(CSV, "replay", "--connections", "-", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains("can be read only once")
        .contains("Try 'meshpassthrough replay --help'.");
  }

  @Test
  void missingConnectionsFile_exitsTwo() throws IOException {
    CliRun run =
        CliRun.of("replay", "--connections", dir.resolve("absent.csv").toString(), policy());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("meshpassthrough: cannot read the connections ")
        .contains("absent.csv");
  }

  @Test
  void invalidPolicy_exitsOne_beforeReadingConnections() throws IOException {
    String bad = file("bad.yaml", POLICY.replace("port: 443", "port: 70000"));
    CliRun run = CliRun.of("replay", "--connections", file("c.csv", CSV), bad);

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void emptyConnections_reportNothingObserved() throws IOException {
    CliRun run =
        CliRun.of("replay", "--fail-on-deny", "--connections", file("c.csv", "\n\n"), policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .startsWith("replay of 2 lines (none)")
        .contains("lines: 2 read, 0 connections, 0 malformed");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  String policy() throws IOException {
    return file("policy.yaml", POLICY);
  }

  String file(String name, String text) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path.toString();
  }
}
