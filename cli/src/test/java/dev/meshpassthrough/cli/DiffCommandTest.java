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

/** {@code diff} through the command line: reading both sides, the report, the exit codes. */
class DiffCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String OLD =
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
          - {type: CIDR, value: 10.0.0.0/8, port: 5432, protocol: tcp}
      """;

  /** Allows every subdomain of example.com, no longer PostgreSQL on 10.0.0.0/8. */
  private static final String NEW =
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
          - {type: Domain, value: "*.example.com", port: 443, protocol: tls}
      """;

  /** Only the database: narrows, never widens. */
  private static final String DATABASE_ONLY =
      """
      type: MeshPassthrough
      name: egress
      mesh: default
      spec:
        targetRef: {kind: Mesh}
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: CIDR, value: 10.0.0.0/8, port: 5432, protocol: tcp}
      """;

  @TempDir Path dir;

  @Test
  void widening_isReportedPerClass_andFailsTheDefaultGateWith4() throws IOException {
    CliRun run = CliRun.of("diff", "--old", file("old.yaml", OLD), "--new", file("new.yaml", NEW));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out().lines().toList())
        .containsExactly(
            "proxy proxy: 1 newly allowed, 1 newly denied",
            "  newly allowed: tls with SNI *.example.com (not the apex) except api.example.com"
                + " to port 443, any dialed address",
            "  newly denied: any traffic to 10.0.0.0/8 port 5432",
            "  no effect: new policy egress appendMatch[0] Domain api.example.com:443/tls");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void narrowingOnly_passesTheWidenGate_butNotTheAnyGate() throws IOException {
    String old = file("old.yaml", OLD);
    String narrower = file("db.yaml", DATABASE_ONLY);

    CliRun widen = CliRun.of("diff", "--old", old, "--new", narrower);
    CliRun any = CliRun.of("diff", "--fail-on", "any", "--old", old, "--new", narrower);
    CliRun never = CliRun.of("diff", "--fail-on", "never", "--old", narrower, "--new", old);

    assertThat(widen.exitCode()).as(widen.err()).isEqualTo(ExitCode.OK);
    assertThat(widen.out())
        .contains("  newly denied: tls with SNI api.example.com to port 443, any dialed address");
    assertThat(any.exitCode()).as(any.err()).isEqualTo(ExitCode.DENIED);
    assertThat(never.exitCode()).as(never.err()).isEqualTo(ExitCode.OK);
    assertThat(never.out()).contains("newly allowed: tls with SNI api.example.com");
  }

  @Test
  void sameIntent_isUnchanged_andPassesEveryGate() throws IOException {
    String old = file("old.yaml", OLD);

    CliRun run = CliRun.of("diff", "--fail-on", "any", "--old", old, "--new", old);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo("proxy proxy: unchanged\n");
  }

  @Test
  void json_hasTheIssueShape_withStructuredClasses_keysInOrder() throws IOException {
    CliRun run =
        CliRun.of(
            "diff",
            "--output",
            "json",
            "--old",
            file("old.yaml", OLD),
            "--new",
            file("new.yaml", NEW));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED);
    JsonNode proxy = JSON.readTree(run.out()).get("proxies").get(0);
    assertThat(fieldNames(proxy))
        .containsExactly("proxy", "widened", "narrowed", "unchanged", "noEffect");
    assertThat(proxy.get("proxy").asText()).isEqualTo("proxy");
    assertThat(proxy.get("unchanged").asBoolean()).isFalse();
    JsonNode widened = proxy.get("widened").get(0);
    assertThat(fieldNames(widened)).containsExactly("text", "traffic", "name", "port", "address");
    assertThat(widened.get("traffic").asText()).isEqualTo("tls");
    assertThat(widened.get("name").get("kind").asText()).isEqualTo("wildcard");
    assertThat(widened.get("name").get("pattern").asText()).isEqualTo("*.example.com");
    assertThat(widened.get("name").get("except").get(0).asText()).isEqualTo("api.example.com");
    assertThat(widened.get("port").get("port").asInt()).isEqualTo(443);
    assertThat(widened.get("address").get("family").isNull()).isTrue();
    JsonNode narrowed = proxy.get("narrowed").get(0);
    assertThat(narrowed.get("traffic").asText()).isEqualTo("any");
    assertThat(narrowed.get("address").get("family").asText()).isEqualTo("IPv4");
    assertThat(narrowed.get("address").get("network").asText()).isEqualTo("10.0.0.0/8");
    JsonNode noEffect = proxy.get("noEffect").get(0);
    assertThat(noEffect.get("side").asText()).isEqualTo("new");
    assertThat(noEffect.get("policy").asText()).isEqualTo("egress");
    assertThat(noEffect.get("index").asInt()).isZero();
  }

  @Test
  void proxiesDirectory_comparesEachProxy_inFileOrder() throws IOException {
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Files.writeString(proxies.resolve("a.yaml"), proxy("web-1", "web"));
    Files.writeString(proxies.resolve("b.yaml"), proxy("db-1", "db"));
    String scoped =
        NEW.replace("targetRef: {kind: Mesh}", "targetRef: {kind: Dataplane, labels: {app: web}}");

    CliRun run =
        CliRun.of(
            "diff",
            "--proxies",
            proxies.toString(),
            "--old",
            file("old.yaml", OLD),
            "--new",
            file("old-too.yaml", OLD.replace("name: egress", "name: base")),
            file("new.yaml", scoped));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED);
    List<String> heads = run.out().lines().filter(l -> l.startsWith("proxy ")).toList();
    assertThat(heads)
        .containsExactly("proxy web-1: 1 newly allowed, 0 newly denied", "proxy db-1: unchanged");
  }

  @Test
  void invalidPolicy_exits1_unreadableInput_exits2() throws IOException {
    String bad = file("bad.yaml", OLD.replace("port: 443", "port: 70000"));
    String old = file("old.yaml", OLD);

    CliRun invalid = CliRun.of("diff", "--old", old, "--new", bad);
    CliRun missing = CliRun.of("diff", "--old", old, "--new", dir.resolve("nope.yaml").toString());

    assertThat(invalid.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(invalid.err()).contains("bad.yaml").contains("port");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(missing.out()).isEmpty();
  }

  @Test
  void usageErrors_exit2() throws IOException {
    String old = file("old.yaml", OLD);

    assertThat(CliRun.of("diff", "--old", old).exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(CliRun.of("diff", "--fail-on", "sometimes", "--old", old, "--new", old).exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
    assertThat(CliRun.of("diff", "--output", "yaml", "--old", old, "--new", old).exitCode())
        .isEqualTo(ExitCode.UNREADABLE);
    CliRun both =
        CliRun.of("diff", "--proxy", old, "--proxies", dir.toString(), "--old", old, "--new", old);
    assertThat(both.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(both.err()).contains("--proxy or --proxies");
    CliRun twice = CliRun.withStdin(OLD, "diff", "--old", "-", "--new", "-");
    assertThat(twice.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(twice.err()).contains("read only once");
  }

  @Test
  void sameInputs_giveByteIdenticalOutput() throws IOException {
    String old = file("old.yaml", OLD);
    String changed = file("new.yaml", NEW);

    CliRun first = CliRun.of("diff", "--output", "json", "--old", old, "--new", changed);
    CliRun second = CliRun.of("diff", "--output", "json", "--old", old, "--new", changed);

    assertThat(second.out()).isEqualTo(first.out());
  }

  private static String proxy(String name, String app) {
    return """
        dataplane:
          name: %s
          mesh: default
          labels: {app: %s, kuma.io/display-name: %s, kuma.io/origin: zone, kuma.io/zone: zone-1}
          address: 10.0.0.5
          inbounds: [{port: 8080}]
          transparentProxy: true
        context: {controlPlane: zone, environment: universal, zone: zone-1}
        """
        .formatted(name, app, name);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private String file(String name, String text) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path.toString();
  }
}
