package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every proxy file of {@code hostile/proxies/cases.yaml} (issue 13, defects 3 and 6): a refused one
 * is refused when it is read, by the library and by translate, resolve and explain alike, with its
 * file, line, column and field path and never as an internal error; an accepted one can be
 * translated and written out.
 */
class HostileProxyTest {
  private static final String POLICY =
      """
      type: MeshPassthrough
      name: web
      spec:
        targetRef: {kind: Mesh}
        default:
          appendMatch:
          - {type: Domain, value: example.com, port: 443, protocol: tls}
      """;

  /** One hostile proxy file. */
  record ProxyCase(String id, String about, String file, int exit, @Nullable String expect) {
    @Override
    public String toString() {
      return id;
    }

    Path path() {
      try {
        return Path.of(
            Objects.requireNonNull(
                    HostileProxyTest.class.getResource("/hostile/proxies/" + file), file)
                .toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @TempDir static Path scratch;

  static List<ProxyCase> cases() {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (InputStream in =
        Objects.requireNonNull(
            HostileProxyTest.class.getResourceAsStream("/hostile/proxies/cases.yaml"))) {
      return List.of(yaml.readValue(in, ProxyCase[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void library_refusesWhenReading_orTranslatesAndWritesOut(ProxyCase hostile) throws IOException {
    Path file = hostile.path();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String source = file.getFileName().toString();

    if (hostile.exit() == 2) {
      assertThatThrownBy(() -> ProxyContext.parse(text, source))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(hostile.expect());
      if (!hostile.expect().contains("existing.")) {
        assertThatThrownBy(() -> ProxyFile.parse(text, source, KumaLine.V2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(hostile.expect());
      }
      return;
    }
    ProxyContext context = ProxyContext.parse(text, source);
    ProxyFile.parse(text, source, KumaLine.V2);
    PassthroughConf conf =
        new PassthroughConf(
            Optional.of(PassthroughMode.MATCHED),
            Optional.of(
                List.of(Match.of(new Destination.Domain("example.com"), 443, Protocol.TLS))));
    for (TranslationProfile profile : TranslationProfile.values()) {
      String json =
          PassthroughTranslator.create(TranslatorOptions.of(profile))
              .translate(conf, context)
              .toJson();
      assertThat(json).as("written out").contains("\"resources\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void commands_refuseWhenReading_neverWithAnInternalError(ProxyCase hostile) throws IOException {
    String proxy = hostile.path().toString();
    String policy =
        Files.writeString(scratch.resolve("policy-" + hostile.id() + ".yaml"), POLICY).toString();

    List<CliOutcome> runs =
        List.of(
            run("translate", "--proxy", proxy, policy),
            run("resolve", "--proxy", proxy, policy),
            run(
                "explain",
                "--output",
                "json",
                "--proxy",
                proxy,
                "--to",
                "example.com:443",
                "--protocol",
                "tls",
                policy));

    for (CliOutcome run : runs) {
      assertThat(run.err()).doesNotContain("internal error").doesNotContain("Exception");
      if (hostile.exit() == 2) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err())
            .contains(
                "meshpassthrough: invalid proxy context: "
                    + hostile.path().getParent()
                    + "/"
                    + hostile.expect());
        assertThat(run.out()).isEmpty();
      } else {
        assertThat(run.exitCode()).as(run.err()).isIn(0, 3);
        assertThat(run.out()).isNotEmpty();
      }
    }
  }

  private static CliOutcome run(String... args) {
    return assertTimeoutPreemptively(HostileCorpusTest.HANG, () -> CliOutcome.inProcess(args));
  }
}
