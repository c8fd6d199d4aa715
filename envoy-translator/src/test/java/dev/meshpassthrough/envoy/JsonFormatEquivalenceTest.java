package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translation document the CLI prints ({@link TranslationResult#toJson()}, written field by
 * field) is byte for byte what protobuf's JsonFormat prints for each resource, read back as a tree
 * and printed with the same settings: for every case of Kuma's translation corpus on its own proxy
 * and on the default transparent proxy, under every profile, encoding, pinning and enforcement, and
 * for a conf that uses every protocol, IPv4 and IPv6, wildcards and port-less entries; for awkward
 * strings in resources and a document of many chunks; and through generators of other settings than
 * the CLI's, which get the document as events.
 */
class JsonFormatEquivalenceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(TranslationResult.typeRegistry());
  private static final PolicyValidator LENIENT =
      PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));

  private static final List<TranslatorOptions> OPTIONS =
      List.of(
          TranslatorOptions.of(TranslationProfile.KUMA),
          TranslatorOptions.of(TranslationProfile.KUMA).withKumaLine(KumaLine.V3),
          TranslatorOptions.defaults(),
          TranslatorOptions.defaults().withEncoding(Encoding.MATCHER),
          TranslatorOptions.defaults().withDomainPinning(DomainPinning.DNS),
          TranslatorOptions.defaults()
              .withEncoding(Encoding.MATCHER)
              .withDomainPinning(DomainPinning.DYNAMIC),
          TranslatorOptions.defaults().withEnforcement(Enforcement.AUDIT),
          TranslatorOptions.defaults()
              .withEncoding(Encoding.MATCHER)
              .withEnforcement(Enforcement.AUDIT));

  static Stream<Arguments> corpus() {
    List<Arguments> cases = new ArrayList<>();
    for (Path dir : KumaCorpus.cases("translate")) {
      for (TranslatorOptions options : OPTIONS) {
        cases.add(Arguments.of(dir.getFileName().toString(), dir, options));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("corpus")
  void corpusCase_printsAsJsonFormat(String name, Path dir, TranslatorOptions options)
      throws IOException {
    for (TranslationResult result : translations(dir, options)) {
      assertThat(printed(result)).isEqualTo(jsonFormatDocument(result));
    }
  }

  /**
   * The corpus case's translations under {@code options}, on its own proxy and on the default
   * transparent proxy, leaving out those the profile refuses.
   */
  static List<TranslationResult> translations(Path dir, TranslatorOptions options)
      throws IOException {
    PassthroughConf conf =
        LENIENT.validate(KumaCorpus.document(dir.resolve("policy.yaml"))).orElseThrow().conf();
    List<TranslationResult> results = new ArrayList<>();
    for (ProxyContext proxy :
        List.of(
            ProxyContext.read(dir.resolve("proxy.yaml")), ProxyContext.defaultTransparentProxy())) {
      try {
        results.add(PassthroughTranslator.create(options).translate(conf, proxy));
      } catch (TranslationException refused) {
        // The kuma profile refuses some confs (audit); nothing to print.
      }
    }
    return results;
  }

  static Stream<Arguments> everyKind() {
    return OPTIONS.stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void everyKindOfEntry_printsAsJsonFormat(TranslatorOptions options) throws IOException {
    for (TranslationResult result : onDefaultProxy(options, everyKindConf())) {
      assertThat(printed(result)).isEqualTo(jsonFormatDocument(result));
    }
  }

  /** The translation of {@code conf} on the default proxy, none when the profile refuses it. */
  static List<TranslationResult> onDefaultProxy(TranslatorOptions options, PassthroughConf conf) {
    try {
      return List.of(
          PassthroughTranslator.create(options)
              .translate(conf, ProxyContext.defaultTransparentProxy()));
    } catch (TranslationException refused) {
      return List.of();
    }
  }

  /** A conf of every protocol, IPv4 and IPv6, wildcards and port-less entries. */
  static PassthroughConf everyKindConf() {
    List<Match> matches = new ArrayList<>();
    int port = 8000;
    for (Protocol protocol : Protocol.values()) {
      matches.add(Match.of(Destination.of(MatchType.IP, "10.0.0." + port % 250), port, protocol));
      matches.add(Match.of(Destination.of(MatchType.CIDR, "2001:db8::/48"), port + 1, protocol));
      matches.add(
          Match.of(
              Destination.of(MatchType.DOMAIN, "*.w" + port + ".example.com"), port, protocol));
      port += 10;
    }
    matches.add(
        Match.onEveryPort(Destination.of(MatchType.DOMAIN, "any.example.com"), Protocol.TLS));
    matches.add(
        Match.onEveryPort(Destination.of(MatchType.DOMAIN, "web.example.com"), Protocol.HTTP));
    return PassthroughConf.of(PassthroughMode.MATCHED, matches);
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void aDocumentOfManyChunks_printsAsJsonFormat(TranslatorOptions options) throws IOException {
    for (TranslationResult result : onDefaultProxy(options, manyChunksConf())) {
      String json = printed(result);
      assertThat(json.length()).isGreaterThan(1 << 17);
      assertThat(json).isEqualTo(jsonFormatDocument(result));
    }
  }

  /** A conf whose document is several of the text writers' 64 KiB chunks. */
  static PassthroughConf manyChunksConf() {
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      matches.add(
          Match.of(
              Destination.of(MatchType.DOMAIN, "host" + i + ".example.com"),
              443 + i % 3,
              i % 2 == 0 ? Protocol.TLS : Protocol.HTTP));
    }
    return PassthroughConf.of(PassthroughMode.MATCHED, matches);
  }

  /** Awkward strings as a listener's and a cluster's value, a map key and a packed value. */
  @ParameterizedTest
  @MethodSource("dev.meshpassthrough.envoy.internal.JsonTextTest#awkward")
  void awkwardStringsInResources_printAsJsonFormat(String text) throws IOException {
    Listener listener = Listener.newBuilder().setName(text).setStatPrefix(text).build();
    Cluster cluster =
        Cluster.newBuilder()
            .setName("b")
            .setAltStatName(text)
            .putTypedExtensionProtocolOptions(text, Any.pack(StringValue.of(text)))
            .build();
    TranslationResult result =
        new TranslationResult(List.of(listener), List.of(cluster), List.of());
    assertThat(printed(result)).isEqualTo(jsonFormatDocument(result));
  }

  /**
   * Generators of other settings than the CLI's (which JsonText does not reproduce) print the
   * document as they print its tree.
   */
  @ParameterizedTest
  @MethodSource("dev.meshpassthrough.envoy.internal.JsonTextTest#otherSettings")
  void aGeneratorOfOtherSettings_printsWhatItPrintsForTheTree(
      Function<Writer, JsonGenerator> settings) throws IOException {
    TranslationResult result =
        PassthroughTranslator.create(TranslatorOptions.defaults().withEncoding(Encoding.MATCHER))
            .translate(everyKindConf(), ProxyContext.defaultTransparentProxy());
    StringWriter written = new StringWriter();
    try (JsonGenerator generator = settings.apply(written)) {
      result.writeTo(generator);
    }
    StringWriter tree = new StringWriter();
    try (JsonGenerator generator = settings.apply(tree)) {
      MAPPER.writeTree(generator, jsonFormatTree(result));
    }
    assertThat(written.toString()).isNotEmpty().isEqualTo(tree.toString());
  }

  /**
   * {@link TranslationResult#toJson()}, once it is checked that the document written as bytes
   * ({@link TranslationResult#writeTo(java.io.OutputStream, TranslationResult.TextFormat)}) is the
   * same text.
   */
  static String printed(TranslationResult result) throws IOException {
    String json = result.toJson();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result.writeTo(bytes, TranslationResult.TextFormat.JSON);
    // Compared as UTF-8, which has no lone surrogate (a writer encodes one as '?').
    assertThat(bytes.toByteArray())
        .as("written as bytes")
        .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    return json;
  }

  /** The document as JsonFormat's text of each resource, read back as a tree and printed. */
  private static String jsonFormatDocument(TranslationResult result) throws IOException {
    return MAPPER
        .writer(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(jsonFormatTree(result));
  }

  private static ObjectNode jsonFormatTree(TranslationResult result) throws IOException {
    ObjectNode document = MAPPER.createObjectNode();
    ArrayNode resources = document.putArray("resources");
    List<Message> all = new ArrayList<>(result.listeners());
    all.addAll(result.clusters());
    for (Message resource : all) {
      ObjectNode item = resources.addObject();
      item.put(
          "name",
          (String) resource.getField(resource.getDescriptorForType().findFieldByName("name")));
      item.set("resource", MAPPER.readTree(PRINTER.print(Any.pack(resource))));
    }
    return document;
  }

  @Test
  void manyDurations_printAsJsonFormat() throws IOException {
    TranslationResult result = manyDurations();
    assertThat(printed(result)).isEqualTo(jsonFormatDocument(result));
  }

  /**
   * Clusters of many connect timeouts, repeated and not, more than the texts of durations kept:
   * whole seconds, fractions, the smallest and negative ones.
   */
  static TranslationResult manyDurations() {
    List<Cluster> clusters = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      long seconds = i % 7 == 0 ? 5 : i - 40;
      int nanos = i % 3 == 0 ? 0 : (seconds < 0 ? -1 : 1) * (i * 1_000_000 + i % 2);
      clusters.add(
          Cluster.newBuilder()
              .setName("c" + i)
              .setConnectTimeout(
                  com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos))
              .build());
    }
    return new TranslationResult(List.of(), clusters, List.of());
  }
}
