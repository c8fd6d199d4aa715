package dev.meshpassthrough.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The Kuma conformance corpus copied into the test resources, and how to read its files. */
public final class KumaCorpus {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private KumaCorpus() {}

  /** The directory of a category of the 2.x corpus: {@code translate} or {@code order}. */
  public static Path category(String name) {
    return category("kuma", name);
  }

  /**
   * The directory of a category of a corpus: {@code kuma} (2.x) or {@code kuma3}; {@code translate}
   * or {@code order}.
   */
  public static Path category(String corpus, String name) {
    URL url = KumaCorpus.class.getResource("/conformance/" + corpus + "/" + name);
    if (url == null) {
      throw new IllegalStateException("corpus category missing from test resources: " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The case directories of a category of the 2.x corpus, by name. */
  public static List<Path> cases(String category) {
    return cases("kuma", category);
  }

  /** The case directories of a category of a corpus ({@code kuma} or {@code kuma3}), by name. */
  public static List<Path> cases(String corpus, String category) {
    try (Stream<Path> dirs = Files.list(category(corpus, category))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML or JSON file as a tree. */
  public static JsonNode tree(Path file) {
    try {
      JsonNode node = YAML.readTree(file.toFile());
      return node == null ? YAML.createObjectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one document of a case's {@code policy.yaml}, read with the project's parser. */
  public static PolicyDocument document(Path policyFile) {
    ParseResult parsed = PolicyParser.create().parse(policyFile);
    if (!parsed.isClean() || parsed.documents().size() != 1) {
      throw new IllegalStateException(
          "corpus policy does not parse into one document: "
              + policyFile
              + " "
              + parsed.problems());
    }
    return parsed.documents().get(0);
  }

  /**
   * The effective conf of a case, built from the as-written fields without validation, as Kuma's
   * tests hand it to the plugin (the order corpus holds inputs the validator rejects).
   */
  public static PassthroughConf unvalidatedConf(Path policyFile) {
    WrittenConf written = document(policyFile).spec().conf().orElseThrow();
    Optional<PassthroughMode> mode =
        written.passthroughMode().map(m -> PassthroughMode.fromWireName(m).orElseThrow());
    return new PassthroughConf(
        mode, written.appendMatch().map(list -> list.stream().map(KumaCorpus::toMatch).toList()));
  }

  /** A written entry as a typed match, trusting that it is well formed. */
  public static Match toMatch(WrittenMatch written) {
    Destination destination =
        Destination.of(
            MatchType.fromWireName(written.type().orElseThrow()).orElseThrow(),
            written.value().orElseThrow());
    Protocol protocol = Protocol.fromWireName(written.protocol().orElse("tcp")).orElseThrow();
    return new Match(destination, written.port().map(p -> Port.of(p.intValueExact())), protocol);
  }
}
