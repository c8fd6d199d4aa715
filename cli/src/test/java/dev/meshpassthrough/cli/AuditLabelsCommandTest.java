package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit-labels}: proxies receiving passthrough through untrusted labels only. */
class AuditLabelsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path guardrails;
  private Path proxies;
  private Path policies;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static String proxy(String name, String app) {
    return "dataplane:\n  name: "
        + name
        + "\n  labels: {app: "
        + app
        + ", kuma.io/zone: zone-1}\n  inbounds: [{port: 8080}]\n  transparentProxy: true\n"
        + "context: {controlPlane: zone, environment: universal, zone: zone-1}\n";
  }

  private static String policy(String name, String labels, String mode) {
    return "type: MeshPassthrough\nname: "
        + name
        + "\nspec:\n  targetRef: {kind: Dataplane, labels: "
        + labels
        + "}\n  default:\n    passthroughMode: "
        + mode
        + "\n    appendMatch: [{type: Domain, value: "
        + name
        + ".example.com, port: 443, protocol: tls}]\n";
  }

  @BeforeEach
  void corpus() throws IOException {
    guardrails =
        write(
            "guardrails.yaml",
            "kind: MeshPassthroughGuardrails\nselection: {trustedLabels: [k8s.kuma.io/namespace, kuma.io/zone]}\n");
    proxies = dir.resolve("proxies");
    write("proxies/web.yaml", proxy("web-0", "web"));
    write("proxies/billing.yaml", proxy("billing-0", "billing"));
    policies = dir.resolve("policies");
    write("policies/zone.yaml", policy("zone", "{kuma.io/zone: zone-1}", "Matched"));
  }

  private CliRun audit(String... extra) {
    String[] args = new String[5 + extra.length + 1];
    args[0] = "audit-labels";
    args[1] = "--guardrails";
    args[2] = guardrails.toString();
    args[3] = "--proxies";
    args[4] = proxies.toString();
    System.arraycopy(extra, 0, args, 5, extra.length);
    args[args.length - 1] = policies.toString();
    return CliRun.of(args);
  }

  @Test
  void trustedSelectionOnly_findsNothing_andExits0() {
    CliRun run = audit();

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .isEqualTo("2 proxies audited, 0 receiving passthrough through untrusted labels only\n");
  }

  @Test
  void aPolicySelectingByAnUntrustedLabel_listsTheProxyPolicyAndLabels_andExits4()
      throws IOException {
    Path web = write("policies/web.yaml", policy("web", "{app: web}", "Matched"));

    CliRun run = audit();

    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out())
        .isEqualTo(
            proxies.resolve("web.yaml")
                + ": proxy web-0 (mesh default) receives passthrough from policy web ("
                + web
                + ":1:1) only through untrusted labels app=web\n"
                + "2 proxies audited, 1 receiving passthrough through untrusted labels only\n");
    JsonNode json = JSON.readTree(audit("--output", "json").out());
    assertThat(json.path("proxies").asInt()).isEqualTo(2);
    assertThat(json.path("findings")).hasSize(1);
    assertThat(json.path("findings").path(0).path("proxy").asText()).isEqualTo("web-0");
    assertThat(json.path("findings").path(0).path("policy").asText()).isEqualTo("web");
    assertThat(json.path("findings").path(0).path("labels").path("app").asText()).isEqualTo("web");
  }

  @Test
  void anUntrustedPolicyThatGivesNoPassthrough_isNotListed() throws IOException {
    write("policies/web.yaml", policy("web", "{app: web}", "None"));

    CliRun run = audit();

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void missingGuardrails_orAnUnreadableProxy_exit2_andAnInvalidPolicyExits1() throws IOException {
    CliRun noGuardrails =
        CliRun.of("audit-labels", "--proxies", proxies.toString(), policies.toString());
    assertThat(noGuardrails.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(noGuardrails.err()).contains("--guardrails");

    write(
        "policies/bad.yaml",
        "type: MeshPassthrough\nname: bad\nspec:\n  default: {passthroughMode: Some}\n");
    assertThat(audit().exitCode()).isEqualTo(ExitCode.INVALID);

    Files.delete(dir.resolve("policies/bad.yaml"));
    write("proxies/broken.yaml", "dataplane: [\n");
    CliRun broken = audit();
    assertThat(broken.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(broken.err()).contains("broken.yaml");
  }
}
