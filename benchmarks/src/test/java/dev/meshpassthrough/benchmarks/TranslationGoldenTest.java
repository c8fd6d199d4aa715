package dev.meshpassthrough.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.Enforcement;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19's rule "no behaviour change": a fixed set of translations is compared with goldens
 * captured before the performance work on the translator (at commit {@code 01b8028}), after parsing
 * both as JSON trees. Each golden file holds, per translator configuration and case, the {@link
 * TranslationResult#toJson()} document and the notes, or the refusal's message.
 *
 * <p>The set: the benchmark mix at 100 entries under eight configurations (both Kuma lines; the
 * exact profile in both encodings, with DNS and dynamic pinning, under audit) and at 1,000 entries
 * (and 300 with every tcp IP/CIDR port-less) under the three benchmarked variants; a conf of every
 * protocol, family, wildcard and port-less kind; and every case of both Kuma translation corpora on
 * its own proxy and the default transparent proxy, under the eight configurations.
 *
 * <p>To regenerate after an intended change of output, run with {@code
 * -Dmeshpassthrough.goldens.update=true} from the benchmarks module and say in the commit why the
 * output changed.
 */
class TranslationGoldenTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path GOLDENS = Path.of("src/test/resources/goldens");
  private static final Path CORPORA = Path.of("../envoy-translator/src/test/resources/conformance");
  private static final boolean UPDATE = Boolean.getBoolean("meshpassthrough.goldens.update");

  private static final Map<String, TranslatorOptions> EIGHT = eight();
  private static final Map<String, TranslatorOptions> BENCHMARKED =
      Map.of(
          "kuma", Variant.KUMA.options(),
          "exact", Variant.EXACT.options(),
          "exact-matcher", Variant.EXACT_MATCHER.options());

  private static Map<String, TranslatorOptions> eight() {
    Map<String, TranslatorOptions> options = new LinkedHashMap<>();
    options.put("kuma", TranslatorOptions.of(TranslationProfile.KUMA));
    options.put("kuma-v3", TranslatorOptions.of(TranslationProfile.KUMA).withKumaLine(KumaLine.V3));
    options.put("exact", TranslatorOptions.defaults());
    options.put("exact-matcher", TranslatorOptions.defaults().withEncoding(Encoding.MATCHER));
    options.put("exact-dns", TranslatorOptions.defaults().withDomainPinning(DomainPinning.DNS));
    options.put(
        "exact-matcher-dynamic",
        TranslatorOptions.defaults()
            .withEncoding(Encoding.MATCHER)
            .withDomainPinning(DomainPinning.DYNAMIC));
    options.put("exact-audit", TranslatorOptions.defaults().withEnforcement(Enforcement.AUDIT));
    options.put(
        "exact-matcher-audit",
        TranslatorOptions.defaults()
            .withEncoding(Encoding.MATCHER)
            .withEnforcement(Enforcement.AUDIT));
    return options;
  }

  /** One translation input: a conf and the proxy it is translated for. */
  private record Input(PassthroughConf conf, ProxyContext proxy) {}

  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of("mix-100", EIGHT, (Supplier<Map<String, Input>>) () -> mix(100)),
        Arguments.of("mix-1000", BENCHMARKED, (Supplier<Map<String, Input>>) () -> mix(1_000)),
        Arguments.of(
            "mix-300-every-tcp-portless",
            BENCHMARKED,
            (Supplier<Map<String, Input>>)
                () ->
                    Map.of(
                        "default-proxy",
                        new Input(
                            Fixtures.validate(
                                    PolicyMix.yaml(300, PolicyMix.PortlessShare.EVERY_TCP))
                                .conf(),
                            ProxyContext.defaultTransparentProxy()))),
        Arguments.of(
            "every-kind", EIGHT, (Supplier<Map<String, Input>>) TranslationGoldenTest::everyKind),
        Arguments.of(
            "corpus", EIGHT, (Supplier<Map<String, Input>>) TranslationGoldenTest::corpus));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void translations_areThoseCapturedBeforeTheWork(
      String name,
      Map<String, TranslatorOptions> configurations,
      Supplier<Map<String, Input>> inputs)
      throws IOException {
    Map<String, Input> cases = inputs.get();
    ObjectNode actual = MAPPER.createObjectNode();
    for (Map.Entry<String, TranslatorOptions> configuration :
        configurations.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      ObjectNode perCase = actual.putObject(configuration.getKey());
      PassthroughTranslator translator = PassthroughTranslator.create(configuration.getValue());
      cases.forEach((caseName, input) -> perCase.set(caseName, translate(translator, input)));
    }
    Path file = GOLDENS.resolve(name + ".json.gz");
    if (UPDATE) {
      Files.createDirectories(GOLDENS);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        MAPPER.writeValue(out, actual);
      }
    }
    JsonNode golden;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      golden = MAPPER.readTree(in);
    }
    assertThat(actual.size()).isEqualTo(configurations.size());
    for (Map.Entry<String, JsonNode> configuration : iterableFields(golden)) {
      JsonNode mine = actual.path(configuration.getKey());
      assertThat(iterable(mine.fieldNames()))
          .as("%s %s: cases", name, configuration.getKey())
          .containsExactlyElementsOf(iterable(configuration.getValue().fieldNames()));
      for (Map.Entry<String, JsonNode> golden1 : iterableFields(configuration.getValue())) {
        // One case at a time, so that a failure names it; equals compares trees, not text.
        assertThat(mine.get(golden1.getKey()))
            .as("%s %s %s", name, configuration.getKey(), golden1.getKey())
            .isEqualTo(golden1.getValue());
      }
    }
    assertThat(actual).isEqualTo(golden);
  }

  private static List<Map.Entry<String, JsonNode>> iterableFields(JsonNode node) {
    return List.copyOf(node.properties());
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  private static JsonNode translate(PassthroughTranslator translator, Input input) {
    ObjectNode node = MAPPER.createObjectNode();
    try {
      TranslationResult result = translator.translate(input.conf(), input.proxy());
      node.set("document", MAPPER.readTree(result.toJson()));
      result.notes().forEach(note -> node.withArray("notes").add(note.toString()));
    } catch (TranslationException refused) {
      node.put("refused", refused.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }

  private static Map<String, Input> mix(int size) {
    return Map.of(
        "default-proxy", new Input(Fixtures.conf(size), ProxyContext.defaultTransparentProxy()));
  }

  private static Map<String, Input> everyKind() {
    List<Match> matches = new ArrayList<>();
    int port = 8000;
    for (Protocol protocol : Protocol.values()) {
      matches.add(Match.of(Destination.of(MatchType.IP, "10.0.0." + port % 250), port, protocol));
      matches.add(Match.of(Destination.of(MatchType.IP, "2001:db8::" + port), port, protocol));
      matches.add(Match.of(Destination.of(MatchType.CIDR, "2001:db8::/48"), port + 1, protocol));
      matches.add(Match.of(Destination.of(MatchType.CIDR, "10.1.0.0/16"), port + 2, protocol));
      matches.add(
          Match.of(
              Destination.of(MatchType.DOMAIN, "*.w" + port + ".example.com"), port, protocol));
      matches.add(
          Match.of(Destination.of(MatchType.DOMAIN, "d" + port + ".example.com"), port, protocol));
      port += 10;
    }
    matches.add(
        Match.onEveryPort(Destination.of(MatchType.DOMAIN, "any.example.com"), Protocol.TLS));
    matches.add(
        Match.onEveryPort(Destination.of(MatchType.DOMAIN, "web.example.com"), Protocol.HTTP));
    matches.add(Match.onEveryPort(Destination.of(MatchType.IP, "192.168.0.7"), Protocol.TCP));
    matches.add(Match.onEveryPort(Destination.of(MatchType.CIDR, "fd00::/8"), Protocol.TCP));
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, matches);
    return Map.of("default-proxy", new Input(conf, ProxyContext.defaultTransparentProxy()));
  }

  /** Every case of both translation corpora, leniently valid, on its own and the default proxy. */
  private static Map<String, Input> corpus() {
    PolicyValidator lenient =
        PolicyValidator.create(new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT));
    Map<String, Input> inputs = new LinkedHashMap<>();
    for (String corpus : List.of("kuma", "kuma3")) {
      try (Stream<Path> dirs = Files.list(CORPORA.resolve(corpus).resolve("translate"))) {
        for (Path dir : dirs.sorted().toList()) {
          ParseResult parsed = Fixtures.PARSER.parse(dir.resolve("policy.yaml"));
          assertThat(parsed.documents()).as("%s", dir).hasSize(1);
          ValidationResult validated = lenient.validate(parsed.documents().get(0));
          assertThat(validated.isValid()).as("%s %s", dir, validated.violations()).isTrue();
          PassthroughConf conf = validated.orElseThrow().conf();
          String name = corpus + "/" + dir.getFileName();
          inputs.put(name, new Input(conf, ProxyContext.read(dir.resolve("proxy.yaml"))));
          inputs.put(
              name + "@default-proxy", new Input(conf, ProxyContext.defaultTransparentProxy()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return inputs;
  }
}
