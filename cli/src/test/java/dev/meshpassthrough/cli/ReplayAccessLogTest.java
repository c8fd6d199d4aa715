package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} of an Envoy JSON access log: its fields, absent values, malformed lines. */
class ReplayAccessLogTest {
  @TempDir Path dir;

  @Test
  void accessLog_mapsEachProtocol_andTreatsDashAndNullAsAbsent() throws IOException {
    String log =
        """
        {"start_time":"2026-12-05T01:00:00Z","downstream_local_address":"192.0.2.1:443","requested_server_name":"api.example.com","authority":null,"protocol":null}
        {"downstream_local_address":"192.0.2.1:443","requested_server_name":"api.example.com","authority":"-","protocol":"-"}
        {"downstream_local_address":"192.0.2.1:80","requested_server_name":null,"authority":"web.example.com","protocol":"HTTP/1.1"}
        {"downstream_local_address":"192.0.2.1:80","requested_server_name":"-","authority":"web.example.com","protocol":"HTTP/2"}
        {"downstream_local_address":"192.0.2.1:80","authority":"web.example.com","protocol":"HTTP/1.0"}
        {"downstream_local_address":"10.0.0.5:5432","requested_server_name":"-","authority":"-","protocol":"-","response_flags":"-","bytes_sent":42}
        {"downstream_local_address":"[2001:db8::5]:5432","requested_server_name":null,"authority":null,"protocol":null}
        {"downstream_local_address":"[2001:db8::7]:443","requested_server_name":"evil.example.com","protocol":null}
        """;
    CliRun run =
        CliRun.of(
            "replay",
            "--connections",
            file("access.log", log),
            file("policy.yaml", ReplayCommandTest.POLICY));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .startsWith("replay of 8 lines (envoy-access-log), Envoy of profile exact\n")
        .contains(
            "ALLOW          2  tls: TLS (SNI api.example.com) to 192.0.2.1:443  (intent ALLOW, "
                + "appendMatch[0] Domain api.example.com:443/tls)")
        .contains(
            "ALLOW          1  http: HTTP/1.1 (Host web.example.com) to 192.0.2.1:80  (intent ALLOW,")
        .contains("  http2: h2c (:authority web.example.com) to 192.0.2.1:80  (intent ALLOW,")
        .contains("  http: HTTP/1.0 (Host web.example.com) to 192.0.2.1:80  (intent ALLOW,")
        .contains("ALLOW          1  tcp: opaque bytes to 10.0.0.5:5432  (intent ALLOW,")
        .contains("ALLOW          1  tcp: opaque bytes to [2001:db8::5]:5432  (intent ALLOW,")
        .contains(
            "DENY           1  tls: TLS (SNI evil.example.com) to [2001:db8::7]:443  (intent DENY)")
        .contains("lines: 8 read, 8 connections, 0 malformed")
        .contains("           1  evil.example.com:443\n");
  }

  @Test
  void accessLog_malformedLines_areCountedWithTheirReason() throws IOException {
    String log =
        """
        {"downstream_local_address":"10.0.0.5:5432"}
        {"downstream_local_address":"10.0.0.5"}
        {"downstream_local_address":"-"}
        {"downstream_local_address":"[2001:db8::5]:5432","protocol":"HTTP/3"}
        {"downstream_local_address":"10.0.0.5:5432","protocol":7}
        {"downstream_local_address":"10.0.0.5:5432"} trailing
        [1,2,3]
        {"downstream_local_address":"10.0.0.5:5432","downstream_local_address":"10.0.0.6:1"}
        {"downstream_local_address":"api.example.com:443"}
        {"downstream_local_address":"10.0.0.5:5432"
        """;
    CliRun run =
        CliRun.of(
            "replay",
            "--connections",
            file("access.log", log),
            file("policy.yaml", ReplayCommandTest.POLICY));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("lines: 10 read, 1 connections, 9 malformed\n")
        .contains("  line 2: 'downstream_local_address' '10.0.0.5' is not IP:PORT or [IPv6]:PORT\n")
        .contains("  line 3: 'downstream_local_address' is missing\n")
        .contains("  line 4: 'protocol' 'HTTP/3' is not HTTP/1.0, HTTP/1.1, HTTP/2 or absent\n")
        .contains("  line 5: 'protocol' must be a string or null\n")
        .contains("  line 6: not a JSON object: ")
        .contains("  line 7: not a JSON object\n")
        .contains("  line 8: not a JSON object: Duplicate field 'downstream_local_address'\n")
        .contains("  line 9: 'downstream_local_address' 'api.example.com:443' is not IP:PORT")
        .contains("  line 10: not a JSON object: ");
  }

  String file(String name, String text) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path.toString();
  }
}
