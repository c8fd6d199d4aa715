package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --domain-pinning off|dns|dynamic} of {@code translate}: defaults, output, refusals. */
class DomainPinningOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: pinned
      mesh: default
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: api.example.com, port: 443, protocol: tls}
          - {type: Domain, value: "*.example.org", port: 443, protocol: tls}
          - {type: IP, value: 10.0.0.1, port: 5432, protocol: tcp}
      """;

  @TempDir Path dir;

  private String policy() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY, StandardCharsets.UTF_8);
    return file.toString();
  }

  /** Cluster name to its type (or custom cluster type), from translate's JSON. */
  private static Map<String, String> clusters(CliRun run) throws IOException {
    Map<String, String> clusters = new TreeMap<>();
    for (JsonNode entry : JSON.readTree(run.out()).get("resources")) {
      JsonNode resource = entry.get("resource");
      if (resource.get("@type").asText().endsWith(".Cluster")) {
        clusters.put(
            resource.get("name").asText(),
            resource.has("clusterType")
                ? resource.get("clusterType").get("name").asText()
                : resource.get("type").asText());
      }
    }
    return clusters;
  }

  @Test
  void defaultFollowsTheKumaVersion_offUnder2_dnsUnder3() throws IOException {
    CliRun v2 = CliRun.of("translate", policy());
    assertThat(v2.exitCode()).as(v2.err()).isEqualTo(ExitCode.OK);
    assertThat(clusters(v2))
        .containsEntry("meshpassthrough_tls_api.example.com_443", "ORIGINAL_DST");
    assertThat(v2.out())
        .isEqualTo(CliRun.of("translate", "--domain-pinning", "off", policy()).out());

    CliRun v3 = CliRun.of("translate", "--kuma-version", "3", policy());
    assertThat(v3.exitCode()).as(v3.err()).isEqualTo(ExitCode.OK);
    assertThat(clusters(v3))
        .containsEntry("meshpassthrough_tls_api.example.com_443", "STRICT_DNS")
        .containsEntry("meshpassthrough_tls_*.example.org_443", "ORIGINAL_DST")
        .containsEntry("meshpassthrough_tcp_10.0.0.1_5432", "ORIGINAL_DST");
    assertThat(v3.err())
        .contains(
            "note: *.example.org:443 (tls) is not pinned under domain pinning dns (a wildcard domain"
                + " names no host to resolve)");
    assertThat(v3.out())
        .isEqualTo(CliRun.of("translate", "--domain-pinning", "dns", policy()).out());
  }

  @Test
  void dynamic_sendsEveryDomainThroughTheDynamicForwardProxy_inBothEncodings() throws IOException {
    for (String encoding : new String[] {"legacy", "matcher"}) {
      CliRun run =
          CliRun.of("translate", "--domain-pinning", "DYNAMIC", "--encoding", encoding, policy());
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
      assertThat(clusters(run))
          .containsOnlyKeys("meshpassthrough_dfp_tls", "meshpassthrough_tcp_10.0.0.1_5432")
          .containsEntry("meshpassthrough_dfp_tls", "envoy.clusters.dynamic_forward_proxy");
      assertThat(run.out())
          .contains("envoy.filters.network.sni_dynamic_forward_proxy", "%DOWNSTREAM_LOCAL_PORT%");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void refusesAPinningTheKumaProfileCannotHave_andUnknownNames() throws IOException {
    CliRun kuma =
        CliRun.of("translate", "--profile", "kuma", "--domain-pinning", "dynamic", policy());
    assertThat(kuma.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(kuma.err())
        .contains(
            "--domain-pinning dynamic needs --profile exact: the kuma profile pins domains as Kuma"
                + " 2.x does (off)");
    CliRun kuma3 =
        CliRun.of(
            "translate",
            "--profile",
            "kuma",
            "--kuma-version",
            "3",
            "--domain-pinning",
            "dns",
            policy());
    assertThat(kuma3.exitCode()).as(kuma3.err()).isEqualTo(ExitCode.OK);
    CliRun unknown = CliRun.of("translate", "--domain-pinning", "strict", policy());
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(unknown.err()).contains("unknown domain pinning 'strict': use off, dns or dynamic");
  }

  @Test
  void explain_simulatesThePinning_andSaysWhereTheConnectionGoes() throws IOException {
    // An allowed name sent to another address: pinned, it reaches the name, not 10.9.9.9.
    CliRun dynamic =
        CliRun.of(
            "explain",
            "--domain-pinning",
            "dynamic",
            "--output",
            "json",
            policy(),
            "--to",
            "www.example.org:443",
            "--protocol",
            "tls",
            "--ip",
            "10.9.9.9");
    assertThat(dynamic.exitCode()).as(dynamic.out() + dynamic.err()).isEqualTo(ExitCode.OK);
    JsonNode tree = JSON.readTree(dynamic.out());
    assertThat(tree.at("/envoy/upstream/kind").asText()).isEqualTo("DNS_NAME");
    assertThat(tree.at("/envoy/upstream/host").asText()).isEqualTo("www.example.org");
    assertThat(tree.at("/envoy/upstream/port").asInt()).isEqualTo(443);
    assertThat(tree.at("/intentUpstreams/0/host").asText()).isEqualTo("www.example.org");
    assertThat(tree.at("/agree").asBoolean()).isTrue();

    // Under Kuma 3.x's default (dns) the wildcard is not pinned: the dialed address.
    CliRun dns =
        CliRun.of(
            "explain",
            "--kuma-version",
            "3",
            "--output",
            "json",
            policy(),
            "--to",
            "www.example.org:443",
            "--protocol",
            "tls",
            "--ip",
            "10.9.9.9");
    assertThat(dns.exitCode()).as(dns.out() + dns.err()).isEqualTo(ExitCode.OK);
    JsonNode dnsTree = JSON.readTree(dns.out());
    assertThat(dnsTree.at("/envoy/upstream/kind").asText()).isEqualTo("DIALED_ADDRESS");
    assertThat(dnsTree.at("/envoy/upstream/host").asText()).isEqualTo("10.9.9.9");
    // The exact domain with a port is: api.example.com:443 whatever was dialed.
    CliRun exact =
        CliRun.of(
            "explain",
            "--kuma-version",
            "3",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.9.9.9");
    assertThat(exact.exitCode()).as(exact.out() + exact.err()).isEqualTo(ExitCode.OK);
    assertThat(exact.out()).contains("dns api.example.com:443");
  }

  @Test
  void explainOnARealEnvoy_refusesDynamicPinning_beforeStartingOne() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--envoy",
            "real",
            "--domain-pinning",
            "dynamic",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls");
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err())
        .contains(
            "--envoy real cannot judge --domain-pinning dynamic: a real Envoy would resolve the"
                + " names the connection sends with this machine's DNS; use --envoy simulated");
  }
}
