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

/** {@code --encoding legacy|matcher} of {@code translate} and {@code explain}. */
class EncodingOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PITFALL =
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
          - {type: CIDR, value: 10.0.0.0/8, port: 443, protocol: tls}
          - {type: Domain, value: httpbin.dev, port: 80, protocol: http}
      """;

  @TempDir Path dir;

  private String policy() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, PITFALL, StandardCharsets.UTF_8);
    return file.toString();
  }

  @Test
  void translate_withMatcher_writesAFilterChainMatcherAndChainsWithoutMatches() throws IOException {
    CliRun run = CliRun.of("translate", "--encoding", "matcher", policy());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode listener = JSON.readTree(run.out()).get("resources").get(0).get("resource");
    assertThat(listener.has("filterChainMatcher")).isTrue();
    assertThat(listener.get("filterChainMatcher").toString())
        .contains("DestinationPortInput", "\"443\"", "\"80\"");
    listener
        .get("filterChains")
        .forEach(chain -> assertThat(chain.has("filterChainMatch")).isFalse());
    CliRun legacy = CliRun.of("translate", "--encoding", "LEGACY", policy());
    assertThat(legacy.exitCode()).as(legacy.err()).isEqualTo(ExitCode.OK);
    assertThat(legacy.out())
        .doesNotContain("filterChainMatcher")
        .isEqualTo(CliRun.of("translate", policy()).out());
  }

  @Test
  void translate_refusesMatcherWithTheKumaProfile_andUnknownEncodings() throws IOException {
    CliRun kuma = CliRun.of("translate", "--profile", "kuma", "--encoding", "matcher", policy());
    assertThat(kuma.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(kuma.err()).contains("--encoding matcher needs --profile exact");
    CliRun unknown = CliRun.of("translate", "--encoding", "trie", policy());
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(unknown.err()).contains("unknown encoding 'trie': use legacy or matcher");
  }

  @Test
  void explain_withMatcher_simulatesTheMatcher_andAgrees() throws IOException {
    CliRun run =
        CliRun.of(
            "explain",
            "--encoding",
            "matcher",
            policy(),
            "--to",
            "api.example.com:443",
            "--protocol",
            "tls",
            "--ip",
            "10.1.2.3");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("filter_chain_matcher (Matcher API)", "result:     AGREE");
    CliRun kuma =
        CliRun.of(
            "explain",
            "--profile",
            "kuma",
            "--encoding",
            "matcher",
            policy(),
            "--to",
            "api.example.com:443");
    assertThat(kuma.exitCode()).isEqualTo(ExitCode.UNREADABLE);
  }
}
