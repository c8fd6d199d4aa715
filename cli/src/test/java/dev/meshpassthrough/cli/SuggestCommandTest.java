package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code suggest} through the command line: the document, its header, stderr, exit codes. */
class SuggestCommandTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The README's worked example. */
  static final String OBSERVED =
      """
      protocol,dst_ip,dst_port,sni_or_host
      tls,192.0.2.10,443,api.example.com
      tls,192.0.2.10,443,api.example.com
      tls,192.0.2.11,443,www.example.com
      tls,192.0.2.12,443,cdn.example.com
      tls,192.0.2.13,443,example.com
      tls,192.0.2.20,443,alice.github.io
      tls,192.0.2.21,443,bob.github.io
      tls,192.0.2.22,443,carol.github.io
      http,192.0.2.30,80,web.example.org:80
      tcp,10.0.0.5,5432,
      tcp,10.0.0.9,5432,
      tcp,2001:db8::5,5432,
      http2,192.0.2.40,8080,grpc.example.net
      grpc,192.0.2.40,8080,grpc.example.net
      http,192.0.2.41,9000,metrics.example.net
      tls,192.0.2.41,9000,metrics.example.net
      tls,192.0.2.50,443
      """;

  @TempDir Path dir;

  @Test
  void workedExample_writesAUniversalPolicy_underAHeaderSayingWhatWasRead() throws IOException {
    CliRun run =
        CliRun.of(
            "suggest",
            "--wildcard-threshold",
            "3",
            "--cidr-min-prefix",
            "24",
            "--connections",
            file("observed.csv", OBSERVED));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.err())
        .isEqualTo(
            "meshpassthrough: "
                + dir.resolve("observed.csv")
                + ": line 18 is malformed: expected 4 comma-separated fields"
                + " (protocol,dst_ip,dst_port,sni_or_host), got 3\n");
    assertThat(run.out())
        .startsWith(
            "# Suggested by meshpassthrough suggest from "
                + dir.resolve("observed.csv")
                + " (csv): 18 lines, 16 connections, 1 malformed.\n"
                + "# Widened:\n"
                + "#   port 8080: grpc and http2 seen;");
    JsonNode tree = YAML.readTree(run.out());
    assertThat(tree.get("type").asText()).isEqualTo("MeshPassthrough");
    assertThat(tree.get("name").asText()).isEqualTo("suggested-passthrough");
    assertThat(tree.get("mesh").asText()).isEqualTo("default");
    assertThat(tree.at("/spec/targetRef/kind").asText()).isEqualTo("Mesh");
    assertThat(tree.at("/spec/default/passthroughMode").asText()).isEqualTo("Matched");
    assertThat(entries(tree))
        .containsExactly(
            "Domain *.example.com 443 tls",
            "Domain alice.github.io 443 tls",
            "Domain bob.github.io 443 tls",
            "Domain carol.github.io 443 tls",
            "Domain example.com 443 tls",
            "Domain grpc.example.net 8080 http2",
            "Domain web.example.org 80 http",
            "IP 192.0.2.41 9000 tcp",
            "IP 2001:db8::5 5432 tcp",
            "CIDR 10.0.0.0/28 5432 tcp");
  }

  @Test
  void replayingTheConnections_againstTheSuggestion_deniesNone() throws IOException {
    String connections = file("observed.csv", OBSERVED);
    CliRun suggested = CliRun.of("suggest", "--connections", connections);
    Path policy = Files.writeString(dir.resolve("suggested.yaml"), suggested.out());

    CliRun replay =
        CliRun.of("replay", "--fail-on-deny", "--connections", connections, policy.toString());

    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isEqualTo(ExitCode.OK);
    assertThat(replay.out()).contains("connections: 16 allowed, 0 denied by Envoy");
  }

  @Test
  void json_andKubernetes_carryTheSameEntries_withTheNotesOnStandardError() throws IOException {
    String connections = file("observed.csv", OBSERVED);
    CliRun yaml = CliRun.of("suggest", "--connections", connections);
    CliRun json =
        CliRun.of(
            "suggest",
            "--output",
            "json",
            "--format",
            "kubernetes",
            "--name",
            "egress",
            "--mesh",
            "shop",
            "--connections",
            connections);

    assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCode.OK);
    JsonNode tree = JSON.readTree(json.out());
    assertThat(tree.get("apiVersion").asText()).isEqualTo("kuma.io/v1alpha1");
    assertThat(tree.get("kind").asText()).isEqualTo("MeshPassthrough");
    assertThat(tree.at("/metadata/name").asText()).isEqualTo("egress");
    assertThat(tree.at("/metadata/namespace").asText()).isEqualTo("kuma-system");
    assertThat(tree.at("/metadata/labels/kuma.io~1mesh").asText()).isEqualTo("shop");
    assertThat(entries(tree)).isEqualTo(entries(YAML.readTree(yaml.out())));
    assertThat(json.err())
        .contains("meshpassthrough: port 8080: grpc and http2 seen;")
        .contains("meshpassthrough: port 9000: tls, http seen;");
    assertThat(yaml.err()).doesNotContain("port 8080");
  }

  @Test
  void minCount_leavesOut_andListsOnStandardErrorAndInTheHeader() throws IOException {
    CliRun run =
        CliRun.of("suggest", "--min-count", "2", "--connections", file("observed.csv", OBSERVED));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(entries(YAML.readTree(run.out()))).containsExactly("Domain api.example.com 443 tls");
    assertThat(run.out())
        .contains("# Left out by --min-count 2: 14 connections needing 14 entries:\n")
        .contains("#   Domain alice.github.io:443/tls (1 connection)\n");
    assertThat(run.err())
        .contains(
            "meshpassthrough: left out by --min-count: Domain alice.github.io:443/tls (1 connection)\n")
        .contains(
            "meshpassthrough: left out by --min-count: IP 2001:db8::5:5432/tcp (1 connection)\n");
  }

  @Test
  void aFileNameWithLineBreaks_staysInTheHeaderComment() throws IOException {
    CliRun run =
        CliRun.of(
            "suggest",
            "--connections",
            file("x\nname: evil\u2028mesh: other\u0085.csv", "tcp,10.0.0.1,5432,\n"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode tree = YAML.readTree(run.out());
    assertThat(tree.get("name").asText()).isEqualTo("suggested-passthrough");
    assertThat(tree.get("mesh").asText()).isEqualTo("default");
    assertThat(run.out()).contains("x\\u000aname: evil\\u2028mesh: other\\u0085.csv (csv)");
  }

  @Test
  void anAuditLog_fromStandardInput_isSuggestedFrom() {
    String log =
        AuditLogFormatTest.EXAMPLE
            + "\n"
            + AuditLogFormatTest.line("2001:db8::7", "\"5432\"", "\"raw\"", null, null)
            + "\n"
            + AuditLogFormatTest.line("10.0.0.3", "80", "\"http\"", null, "\"Web.Example.com:80\"")
            + "\n";

    CliRun run = CliRun.withStdin(log, "suggest", "--connections", "-");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .startsWith(
            "# Suggested by meshpassthrough suggest from <stdin> (audit-log): 3 lines, 3 connections, 0 malformed.\n");
    assertThat(run.out())
        .contains("value: api.example.com\n")
        .contains("value: web.example.com\n")
        .contains("value: 2001:db8::7\n");
  }

  @Test
  void exitCodes_strictNothingToSuggestUnreadableAndMisuse() throws IOException {
    String observed = file("observed.csv", OBSERVED);
    CliRun strict = CliRun.of("suggest", "--strict", "--connections", observed);
    CliRun nothing = CliRun.of("suggest", "--min-count", "3", "--connections", observed);
    CliRun empty = CliRun.of("suggest", "--connections", file("empty.csv", "\n\n"));
    CliRun missing = CliRun.of("suggest", "--connections", dir.resolve("nope.csv").toString());
    CliRun unknown = CliRun.of("suggest", "--connections", file("bin.txt", "hello world\n"));
    List<CliRun> misuse = new ArrayList<>();
    for (String[] args :
        List.of(
            new String[] {"--wildcard-threshold", "1"},
            new String[] {"--cidr-min-prefix", "33"},
            new String[] {"--cidr6-min-prefix", "-1"},
            new String[] {"--min-count", "0"},
            new String[] {"--output", "text"},
            new String[] {"--format", "helm"},
            new String[] {"--name", ""})) {
      List<String> all = new ArrayList<>(List.of("suggest", "--connections", observed));
      all.addAll(List.of(args));
      misuse.add(CliRun.of(all.toArray(String[]::new)));
    }

    assertThat(strict.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(strict.out()).isEmpty();
    assertThat(strict.err()).contains(": line 18 is malformed: ").endsWith("(--strict)\n");
    assertThat(nothing.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(nothing.out()).isEmpty();
    assertThat(nothing.err())
        .endsWith(
            "no connection to allow (16 read, 16 left out by --min-count 3); nothing written\n");
    assertThat(empty.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(missing.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(missing.err()).startsWith("meshpassthrough: cannot read the connections ");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(misuse)
        .allSatisfy(
            r -> {
              assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.UNREADABLE);
              assertThat(r.out()).isEmpty();
            });
    assertThat(misuse.get(0).err()).contains("the wildcard threshold must be at least 2, got 1");
    assertThat(misuse.get(misuse.size() - 1).err())
        .isEqualTo(
            "meshpassthrough: "
                + dir.resolve("observed.csv")
                + ": line 18 is malformed: expected 4 comma-separated fields"
                + " (protocol,dst_ip,dst_port,sni_or_host), got 3\n"
                + "meshpassthrough: error name: must be defined [document.name.required]\n");
  }

  @Test
  void moreEntriesThanAPolicyMayHold_areRefused_naming_theFlagsThatNarrowThem() throws IOException {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i <= 100_000; i++) {
      csv.append("tcp,10.").append(i >> 16).append('.').append((i >> 8) & 0xff).append('.');
      csv.append(i & 0xff).append(",5432,\n");
    }
    String connections = file("many.csv", csv.toString());

    CliRun tooMany = CliRun.of("suggest", "--connections", connections);
    CliRun narrowed = CliRun.of("suggest", "--cidr-min-prefix", "16", "--connections", connections);

    assertThat(tooMany.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(tooMany.out()).isEmpty();
    assertThat(tooMany.err())
        .endsWith(
            ": the suggestion has 100001 entries, more than the 100000 a policy may hold; narrow"
                + " it with --cidr-min-prefix, --cidr6-min-prefix, --wildcard-threshold or"
                + " --min-count; nothing written\n");
    assertThat(narrowed.exitCode()).as(narrowed.err()).isEqualTo(ExitCode.OK);
    assertThat(entries(YAML.readTree(narrowed.out())))
        .containsExactly("CIDR 10.0.0.0/16 5432 tcp", "CIDR 10.1.0.0/16 5432 tcp");
  }

  /** Each appendMatch entry as {@code type value port protocol}. */
  private static List<String> entries(JsonNode tree) {
    List<String> entries = new ArrayList<>();
    for (JsonNode entry : tree.at("/spec/default/appendMatch")) {
      entries.add(
          entry.get("type").asText()
              + " "
              + entry.get("value").asText()
              + " "
              + entry.get("port").asInt()
              + " "
              + entry.get("protocol").asText());
    }
    return entries;
  }

  private String file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
  }
}
