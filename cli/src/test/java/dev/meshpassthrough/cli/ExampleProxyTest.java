package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's proxy file, {@code examples/proxy.yaml}, works with every command that reads one.
 */
class ExampleProxyTest {
  private static final String PROXY = "../examples/proxy.yaml";
  private static final String POLICY = "../examples/allow-some-destinations.yaml";

  @Test
  void translate_rebuildsBothPassthroughListeners_withoutWarnings() throws IOException {
    CliRun run = CliRun.of("translate", "--proxy", PROXY, POLICY);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("warning:").doesNotContain("unchanged");
    List<String> names = new ArrayList<>();
    new ObjectMapper()
        .readTree(run.out())
        .get("resources")
        .forEach(r -> names.add(r.get("name").asText()));
    assertThat(names)
        .contains(
            "self_transparentproxy_passthrough_outbound_ipv4",
            "self_transparentproxy_passthrough_outbound_ipv6")
        .doesNotContain("self_transparentproxy_passthrough_outbound_ipv4_cluster");
  }

  @Test
  void resolve_selectsTheExamplePolicy_forTheExampleProxy() throws IOException {
    CliRun run = CliRun.of("resolve", "--proxy", PROXY, POLICY);

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(run.out());
    assertThat(tree.get("proxy").asText()).isEqualTo("web-0.shop");
    assertThat(tree.get("outcome").asText()).isEqualTo("AllowMatchedOnly");
  }

  @Test
  void aTransparentProxyWithoutPassthroughListeners_isWarnedAbout() throws IOException {
    Path bare = Files.createTempFile("proxy", ".yaml");
    try {
      Files.writeString(
          bare,
          """
          dataplane:
            name: web
            address: 10.0.0.5
            inbounds: [{port: 8080}]
            transparentProxy: true
          """);

      CliRun run = CliRun.of("translate", "--proxy", bare.toString(), POLICY);

      assertThat(run.exitCode()).isZero();
      assertThat(run.err())
          .contains(
              "warning: proxy 'web' runs a transparent proxy but lists no outbound passthrough listener");
    } finally {
      Files.delete(bare);
    }
  }
}
