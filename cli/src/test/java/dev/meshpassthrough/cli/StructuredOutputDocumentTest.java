package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code translate} writes its document as bytes ({@link StructuredOutput#streamDocument}): the
 * same bytes, ending in one newline, as the events of the document written through the CLI's
 * generator ({@link StructuredOutput#stream}), in YAML and JSON, for every profile and encoding,
 * with and without a resource whose text is not ASCII.
 */
class StructuredOutputDocumentTest {
  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (TranslatorOptions options :
        List.of(
            TranslatorOptions.of(TranslationProfile.KUMA),
            TranslatorOptions.of(TranslationProfile.EXACT),
            TranslatorOptions.of(TranslationProfile.EXACT).withEncoding(Encoding.MATCHER))) {
      for (OutputFormat format : List.of(OutputFormat.yaml, OutputFormat.json)) {
        for (boolean nonAscii : List.of(false, true)) {
          cases.add(Arguments.of(options, format, nonAscii));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} non-ASCII: {2}")
  @MethodSource("cases")
  void theDocumentAsBytes_isTheGeneratorsText(
      TranslatorOptions options, OutputFormat format, boolean nonAscii) {
    TranslationResult result = translation(options);
    if (nonAscii) {
      List<Cluster> clusters = new ArrayList<>(result.clusters());
      clusters.add(Cluster.newBuilder().setName("cluster-é").setAltStatName("a\"b").build());
      result = new TranslationResult(result.listeners(), clusters, result.notes());
    }
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    StructuredOutput.streamDocument(streamed, format, result);
    ByteArrayOutputStream generated = new ByteArrayOutputStream();
    StructuredOutput.stream(generated, format, result::writeTo);
    assertThat(streamed.toByteArray()).isEqualTo(generated.toByteArray());
    assertThat(streamed.toString(java.nio.charset.StandardCharsets.UTF_8))
        .endsWith("\n")
        .doesNotEndWith("\n\n")
        .contains(nonAscii ? "cluster-é" : "resources");
  }

  @ParameterizedTest
  @MethodSource("otherFormats")
  void aFormatThatIsNotADocument_isRefused(OutputFormat format) {
    TranslationResult result = translation(TranslatorOptions.of(TranslationProfile.KUMA));
    assertThatThrownBy(
            () -> StructuredOutput.streamDocument(new ByteArrayOutputStream(), format, result))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(format.name());
  }

  static Stream<OutputFormat> otherFormats() {
    return Stream.of(OutputFormat.values())
        .filter(format -> format != OutputFormat.yaml && format != OutputFormat.json);
  }

  private static TranslationResult translation(TranslatorOptions options) {
    PassthroughConf conf =
        PassthroughConf.of(
            PassthroughMode.MATCHED,
            List.of(
                Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
                Match.of(Destination.of(MatchType.DOMAIN, "*.example.org"), 80, Protocol.HTTP),
                Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 5432, Protocol.TCP),
                Match.of(Destination.of(MatchType.CIDR, "fd00::/64"), 3306, Protocol.MYSQL)));
    return PassthroughTranslator.create(options)
        .translate(conf, ProxyContext.defaultTransparentProxy());
  }
}
