package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.DocumentFormat;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kuma's own validator inputs (bare specs, copied from the conformance corpus) read as written. */
class ConformanceInputsTest {

  @Test
  void validInput_isReadAsABareSpecWithEveryMatch() throws IOException {
    PolicyDocument document = read("valid.input.yaml");

    assertThat(document.format()).isEqualTo(DocumentFormat.BARE_SPEC);
    assertThat(document.spec().targetRef()).contains(WrittenTargetRef.ofKind("Mesh"));
    List<WrittenMatch> matches = matches(document);
    assertThat(matches)
        .extracting(m -> m.type().orElseThrow())
        .containsExactly("IP", "Domain", "CIDR", "Domain", "Domain", "IP");
    assertThat(matches.get(1).port()).isEmpty();
    assertThat(matches.get(4).value()).contains("*.example.com");
    assertThat(matches.get(5)).isEqualTo(match("IP", "172.1.1.1", 3306, "mysql"));
  }

  @Test
  void fullInvalidInput_keepsEveryInvalidValueForTheValidator() throws IOException {
    PolicyDocument document = read("full-invalid.input.yaml");

    List<WrittenMatch> matches = matches(document);
    assertThat(matches).hasSize(14);
    assertThat(matches.get(0)).isEqualTo(match("test", "1.2.3.4", 0, "1"));
    assertThat(matches.get(7).value()).contains("*w.example.com");
    assertThat(matches.get(10).port()).isEmpty();
    assertThat(matches.get(12).port()).isEmpty();
    assertThat(matches.get(13).value()).contains("*.hello@world");
  }

  @Test
  void fullInvalidInput_knowsWhereEveryReportedFieldWasWritten() throws IOException {
    PolicyDocument document = read("full-invalid.input.yaml");
    FieldPath matches = FieldPath.of("spec", "default", "appendMatch");

    assertThat(document.locationOf(matches.index(0).field("protocol"))).isEqualTo(at(8, 5));
    assertThat(document.locationOf(matches.index(6).field("port"))).isEqualTo(at(31, 5));
    assertThat(document.locationOf(matches.index(13).field("value"))).isEqualTo(at(56, 5));
    assertThat(document.locationOf(matches.index(10))).isEqualTo(at(45, 5));
  }

  private static PolicyDocument read(String name) throws IOException {
    try (InputStream input =
        ConformanceInputsTest.class.getResourceAsStream("/conformance/kuma/validate/" + name)) {
      ParseResult result = Parsing.PARSER.parse(input, name);
      assertThat(result.problems()).isEmpty();
      assertThat(result.documents()).hasSize(1);
      return result.documents().get(0);
    }
  }

  private static List<WrittenMatch> matches(PolicyDocument document) {
    return document.spec().conf().orElseThrow().appendMatch().orElseThrow();
  }

  private static WrittenMatch match(String type, String value, int port, String protocol) {
    return new WrittenMatch(
        Optional.of(type),
        Optional.of(value),
        Optional.of(BigInteger.valueOf(port)),
        Optional.of(protocol));
  }

  private static SourceLocation at(int line, int column) {
    return new SourceLocation("full-invalid.input.yaml", line, column);
  }
}
