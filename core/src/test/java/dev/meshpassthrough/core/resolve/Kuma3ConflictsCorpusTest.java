package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kuma 3.x's own order and translate cases (copied with Kuma's LICENSE and NOTICE into test
 * resources, conformance/kuma3): the warnings of {@link Kuma3Conflicts#find(List)} over the
 * policy's entries must equal Kuma's, exactly and in order.
 */
class Kuma3ConflictsCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * The one case whose protocol ({@code foo}) the model cannot hold: {@link Protocol} is a closed
   * enum of the six protocols Kuma's validator accepts, so the entry cannot be built.
   */
  private static final String UNSUPPORTED_PROTOCOL = "order/unsupported-protocol-conflict";

  static Stream<String> cases() throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    for (String category : List.of("order", "translate")) {
      try (Stream<Path> dirs = Files.list(root().resolve(category))) {
        dirs.map(p -> category + "/" + p.getFileName())
            // Out of the model (see UNSUPPORTED_PROTOCOL): its own test below.
            .filter(name -> !name.equals(UNSUPPORTED_PROTOCOL))
            .sorted()
            .forEach(names::add);
      }
    }
    return names.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kumaCase_givesKumasWarningsInOrder(String name) throws Exception {
    List<Match> matches = matches(root().resolve(name).resolve("policy.yaml"));

    List<String> expected = new ArrayList<>();
    YAML.readTree(root().resolve(name).resolve("warnings.yaml").toFile())
        .get("warnings")
        .forEach(w -> expected.add(w.asText()));

    assertThat(Kuma3Conflicts.find(matches).warnings()).containsExactlyElementsOf(expected);
  }

  @Test
  void theCaseOutsideTheModel_reallyHasAProtocolTheModelCannotHold() throws Exception {
    JsonNode entries =
        YAML.readTree(root().resolve(UNSUPPORTED_PROTOCOL).resolve("policy.yaml").toFile())
            .at("/spec/default/appendMatch");
    assertThat(Protocol.fromWireName(entries.get(1).get("protocol").asText())).isEmpty();
  }

  /** The entries of a policy; port 0 is Kuma's "no port", as the model's empty port. */
  static List<Match> matches(Path policy) throws IOException {
    List<Match> out = new ArrayList<>();
    JsonNode list = YAML.readTree(policy.toFile()).at("/spec/default/appendMatch");
    for (JsonNode entry : list) {
      MatchType type = MatchType.fromWireName(entry.get("type").asText()).orElseThrow();
      Destination destination = Destination.of(type, entry.get("value").asText());
      int port = entry.has("port") ? entry.get("port").asInt() : 0;
      Protocol protocol =
          Protocol.fromWireName(entry.has("protocol") ? entry.get("protocol").asText() : "tcp")
              .orElseThrow();
      out.add(
          new Match(
              destination, port == 0 ? Optional.empty() : Optional.of(Port.of(port)), protocol));
    }
    return out;
  }

  static Path root() throws URISyntaxException {
    return Path.of(Kuma3ConflictsCorpusTest.class.getResource("/conformance/kuma3").toURI());
  }
}
