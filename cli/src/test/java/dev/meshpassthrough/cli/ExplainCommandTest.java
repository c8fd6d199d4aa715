package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain}: the intent, Envoy's decision and the trace, as text and JSON; exit 0 or 3. */
class ExplainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Domain tls rule and a tcp CIDR on one port: Kuma's port-ip-sni-pitfall. */
  static final String PITFALL =
      """
      type: MeshPassthrough
      name: pitfall
      mesh: default
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
          - {type: CIDR, value: 10.0.0.0/8, port: 443, protocol: tcp}
      """;

  @TempDir Path dir;

  @Test
  void agreement_exitsZero_andPrintsIntentDecisionAndTrace() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy(PITFALL),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("connection: TLS (SNI api.example.com) to 192.0.2.1:443")
        .contains("intent:     ALLOW  appendMatch[0] Domain api.example.com:443/tls covers it")
        .contains(
            "envoy:      ALLOW  passthrough to 192.0.2.1:443 through cluster meshpassthrough_tls_api.example.com_443")
        .contains("result:     AGREE")
        .contains(
            "      server name api.example.com: exact match (meshpassthrough_tls_api.example.com_443)");
  }

  @Test
  void disagreement_exitsThree_andNamesTheKnownLimitation() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy(PITFALL),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DISAGREE);
    assertThat(run.out())
        .contains("envoy:      DENY   closed: no filter chain matches")
        .contains("result:     DISAGREE (known Kuma limitation port-ip-sni-pitfall:")
        .contains(
            "less specific, never considered: catch-all (meshpassthrough_tls_api.example.com_443)");
  }

  @Test
  void theExactProfile_isTheDefault_andPassesWhatKumaDrops() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            policy(PITFALL),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("envoy:      ALLOW  passthrough to 10.1.2.3:443")
        .contains("result:     AGREE");
  }

  @Test
  void severalPolicies_areMergedForTheProxy_asTranslateDoes() throws IOException {
    String dns =
        policy(
            """
        type: MeshPassthrough
        name: dns
        mesh: default
        spec:
          targetRef: {kind: Mesh}
          default:
            appendMatch:
            - {type: IP, value: 10.0.0.53, port: 53, protocol: tcp}
        """);

    CliRun run = CliRun.of("explain", policy(PITFALL), dns, "--to", "10.0.0.53:53");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("intent:     ALLOW  appendMatch[")
        .contains("IP 10.0.0.53:53/tcp covers it");
  }

  @Test
  void json_hasTheDocumentedShape() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy(PITFALL),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3",
            "--output",
            "json");

    JsonNode tree = JSON.readTree(run.out());
    assertThat(tree.get("intent").asText()).isEqualTo("ALLOW");
    assertThat(tree.at("/envoy/decision").asText()).isEqualTo("DENY");
    assertThat(tree.at("/envoy/chain").isNull()).isTrue();
    assertThat(tree.at("/envoy/cluster").isNull()).isTrue();
    assertThat(tree.at("/envoy/reason").asText()).startsWith("closed: no filter chain matches");
    assertThat(tree.get("agree").asBoolean()).isFalse();
    assertThat(tree.at("/knownLimitation/id").asText()).isEqualTo("port-ip-sni-pitfall");
    assertThat(tree.get("trace").get(0).get("stage").asText()).isEqualTo("CONNECTION");
    assertThat(tree.get("trace").get(0).get("depth").asInt()).isZero();
  }

  @Test
  void jsonOfAnAllowedConnection_namesChainAndCluster() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy(PITFALL),
            "--to",
            "10.1.2.3:443",
            "--output",
            "json");

    JsonNode tree = JSON.readTree(run.out());
    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(tree.at("/envoy/decision").asText()).isEqualTo("ALLOW");
    assertThat(tree.at("/envoy/chain").asText()).isEqualTo("meshpassthrough_tcp_10.0.0.0/8_443");
    assertThat(tree.at("/envoy/cluster").asText()).isEqualTo("meshpassthrough_tcp_10.0.0.0/8_443");
    assertThat(tree.at("/envoy/clusterType").asText()).isEqualTo("ORIGINAL_DST");
  }

  @Test
  void http_defaultsToHttp11WithCurlsHost_andHttp10CanBeAsked() throws IOException {
    String policy =
        policy(
            """
        type: MeshPassthrough
        name: web
        spec:
          targetRef: {kind: Mesh}
          default:
            appendMatch:
            - {type: Domain, value: httpbin.org, port: 8080, protocol: http}
        """);

    CliRun http11 =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy,
            "--to",
            "httpbin.org:8080",
            "--protocol",
            "http");
    CliRun http10 =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy,
            "--to",
            "httpbin.org:8080",
            "--protocol",
            "http",
            "--http-version",
            "1.0");
    CliRun otherHost =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy,
            "--to",
            "httpbin.org:8080",
            "--protocol",
            "http",
            "--host",
            "evil.com:8080");

    assertThat(http11.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(http11.out())
        .contains("HTTP/1.1 (Host httpbin.org:8080)")
        .contains("exact domain 'httpbin.org:8080'");
    assertThat(http10.exitCode()).isEqualTo(ExitCode.DISAGREE);
    assertThat(http10.out()).contains("known Kuma limitation http-1.0-refused");
    assertThat(otherHost.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(otherHost.out())
        .contains("intent:     DENY")
        .contains("envoy:      DENY   503: direct response of route");
  }

  @Test
  void noHost_sendsARequestWithoutHost_whichKumaRefusesAndTheExactProfilePasses()
      throws IOException {
    String policy =
        policy(
            """
        type: MeshPassthrough
        name: web
        spec:
          targetRef: {kind: Mesh}
          default:
            appendMatch:
            - {type: IP, value: 10.0.0.5, port: 80, protocol: http}
        """);

    CliRun kuma =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy,
            "--to",
            "10.0.0.5:80",
            "--protocol",
            "http",
            "--no-host");
    CliRun exact =
        CliRun.of("explain", policy, "--to", "10.0.0.5:80", "--protocol", "grpc", "--no-host");

    assertThat(kuma.exitCode()).isEqualTo(ExitCode.DISAGREE);
    assertThat(kuma.out())
        .contains("HTTP/1.1 (no Host)")
        .contains("known Kuma limitation hostless-request-refused");
    assertThat(exact.exitCode()).as(exact.out()).isEqualTo(ExitCode.OK);
    assertThat(exact.out()).contains("h2c (no Host)").contains("envoy.filters.network.tcp_proxy");
    assertThat(CliRun.of("explain", policy, "--to", "10.0.0.5:80", "--no-host").err())
        .contains("--host and --no-host need --protocol http");
    assertThat(
            CliRun.of(
                    "explain",
                    policy,
                    "--to",
                    "10.0.0.5:80",
                    "--protocol",
                    "http",
                    "--no-host",
                    "--host",
                    "a")
                .err())
        .contains("--host and --no-host exclude each other");
  }

  @Test
  void ipv6_andServerFirst() throws IOException {
    String policy =
        policy(
            """
        type: MeshPassthrough
        name: db
        spec:
          targetRef: {kind: Mesh}
          default:
            appendMatch:
            - {type: IP, value: "2001:db8::7", port: 3306, protocol: mysql}
        """);

    CliRun run =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            policy,
            "--to",
            "[2001:db8::7]:3306",
            "--protocol",
            "mysql");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("nothing (server-first) to [2001:db8::7]:3306")
        .contains(
            "envoy.filters.listener.tls_inspector: disabled, its filter_disabled predicate holds for port 3306");
  }

  @Test
  void misuse_exitsTwo() throws IOException {
    String policy = policy(PITFALL);

    assertThat(CliRun.of("explain", policy, "--to", "api.example.com").exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
    assertThat(CliRun.of("explain", policy, "--to", "api.example.com:443", "--sni", "x").err())
        .contains("--sni, --no-sni and --alpn need --protocol tls");
    assertThat(CliRun.of("explain", policy, "--to", "a:443", "--protocol", "quic").exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
    assertThat(CliRun.of("explain", policy, "--to", "a:443", "--ip", "not-an-ip").err())
        .contains("--ip must be an IPv4 or IPv6 address");
    assertThat(CliRun.of("explain", policy).exitCode()).isEqualTo(ExitCode.UNREADABLE);
  }

  @Test
  void invalidPolicy_exitsOne() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            policy(
                """
        type: MeshPassthrough
        name: bad
        spec:
          default:
            appendMatch:
            - {type: IP, value: 10.0.0.1, port: 0, protocol: tcp}
        """),
            "--to",
            "10.0.0.1:80");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(run.err()).contains("port must be a valid (1-65535)");
  }

  private String policy(String text) throws IOException {
    Path file = Files.createTempFile(dir, "policy", ".yaml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file.toString();
  }
}
