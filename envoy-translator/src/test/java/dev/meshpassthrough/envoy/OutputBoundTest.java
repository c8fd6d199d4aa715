package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TranslatorOptions#maxOutputBytes()} bounds the encoded size of what a translation builds,
 * in every profile and encoding; {@link TranslationResult#writeTo} streams exactly the text of
 * {@link TranslationResult#toJson()}.
 */
class OutputBoundTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();

  static Stream<TranslatorOptions> everyTranslator() {
    return Stream.of(
        TranslatorOptions.of(TranslationProfile.KUMA),
        TranslatorOptions.of(TranslationProfile.EXACT),
        TranslatorOptions.of(TranslationProfile.EXACT).withEncoding(Encoding.MATCHER));
  }

  /**
   * 300 TLS names, 1,000 HTTP domains on port 80 (one chain of about 100 KB) and 300 tcp IPs on
   * port 8080.
   */
  private static PassthroughConf mixed() {
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      matches.add(
          Match.of(
              Destination.of(MatchType.DOMAIN, "web" + i + ".example.com"), 80, Protocol.HTTP));
    }
    for (int i = 0; i < 300; i++) {
      matches.add(
          Match.of(
              Destination.of(MatchType.DOMAIN, "tls" + i + ".example.com"), 443, Protocol.TLS));
      matches.add(
          Match.of(
              Destination.of(MatchType.IP, "10.0." + (i / 256) + "." + (i % 256)),
              8080,
              Protocol.TCP));
    }
    return PassthroughConf.of(PassthroughMode.MATCHED, matches);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTranslator")
  void builtResourcesOverTheBound_areRefusedNamingIt(TranslatorOptions options) {
    TranslationException refused =
        catchThrowableOfType(
            () ->
                PassthroughTranslator.create(options.withMaxOutputBytes(50_000))
                    .translate(mixed(), PROXY),
            TranslationException.class);

    assertThat(refused).isNotNull();
    assertThat(refused.messages()).singleElement().asString().contains("maxOutputBytes=50000");
    assertThat(refused.problems())
        .singleElement()
        .extracting(Problem::ruleId)
        .isEqualTo("translate.output.too-large");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTranslator")
  void theBound_isTheEncodedSizeOfTheBuiltResources(TranslatorOptions options) {
    TranslationResult result = PassthroughTranslator.create(options).translate(mixed(), PROXY);
    long built =
        result.listeners().stream().mapToLong(Listener::getSerializedSize).sum()
            + result.clusters().stream().mapToLong(c -> c.getSerializedSize()).sum();

    assertThat(
            PassthroughTranslator.create(options.withMaxOutputBytes(built))
                .translate(mixed(), PROXY)
                .toJson())
        .isEqualTo(result.toJson());
    assertThatThrownBy(
            () ->
                PassthroughTranslator.create(options.withMaxOutputBytes(built - 1))
                    .translate(mixed(), PROXY))
        .isInstanceOf(TranslationException.class);
  }

  @Test
  void portlessDomainsOnManyPorts_areRefusedBeforeTheyAreCopied() {
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      matches.add(
          Match.onEveryPort(
              Destination.of(MatchType.DOMAIN, "host" + i + ".example.com"), Protocol.HTTP));
      matches.add(
          Match.of(
              Destination.of(MatchType.IP, "10.1." + (i / 256) + "." + (i % 256)),
              1_000 + i,
              Protocol.TCP));
    }
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, matches);

    for (TranslatorOptions options : everyTranslator().toList()) {
      assertThatThrownBy(() -> PassthroughTranslator.create(options).translate(conf, PROXY))
          .as(options.toString())
          .isInstanceOf(TranslationException.class);
    }
  }

  @Test
  void defaultBound_is32MebibytesAndMustBePositive() {
    assertThat(TranslatorOptions.defaults().maxOutputBytes())
        .isEqualTo(32L * 1024 * 1024)
        .isEqualTo(TranslatorOptions.DEFAULT_MAX_OUTPUT_BYTES);
    assertThat(
            TranslatorOptions.defaults()
                .withMaxOutputBytes(7)
                .withEncoding(Encoding.MATCHER)
                .withNoMatchBody("x")
                .maxOutputBytes())
        .isEqualTo(7);
    assertThatThrownBy(() -> TranslatorOptions.defaults().withMaxOutputBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Big enough that the listeners, and the HTTP chain's connection manager, are written field by
   * field.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTranslator")
  void writeTo_streamsTheTextOfToJson_andTheTreeAsYaml(TranslatorOptions options)
      throws IOException {
    TranslationResult result = PassthroughTranslator.create(options).translate(mixed(), PROXY);
    assertThat(result.listeners().get(0).getSerializedSize()).isGreaterThan(64 * 1024);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    StringWriter streamed = new StringWriter();
    try (JsonGenerator generator = json.createGenerator(streamed)) {
      result.writeTo(generator);
    }
    StringWriter streamedYaml = new StringWriter();
    try (JsonGenerator generator = yaml.createGenerator(streamedYaml)) {
      result.writeTo(generator);
    }

    assertThat(streamed.toString()).isEqualTo(result.toJson());
    assertThat(streamedYaml.toString())
        .isEqualTo(yaml.writeValueAsString(json.readTree(result.toJson())));
  }
}
