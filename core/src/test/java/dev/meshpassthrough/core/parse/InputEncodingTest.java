package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.at;
import static dev.meshpassthrough.core.parse.Parsing.onlyProblem;
import static dev.meshpassthrough.core.parse.Parsing.parse;
import static dev.meshpassthrough.core.parse.Parsing.parseBytes;
import static dev.meshpassthrough.core.parse.Parsing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class InputEncodingTest {
  private static final String POLICY = "type: MeshPassthrough\nname: bom\n";

  @Test
  void utf8ByteOrderMark_isAccepted() {
    ParseResult result =
        parseBytes(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(POLICY)));

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents())
        .singleElement()
        .extracting(PolicyDocument::location)
        .satisfies(location -> assertThat(location.column()).isEqualTo(1));
  }

  @Test
  void byteOrderMarkInAString_isAccepted() {
    assertThat(parse("\uFEFF" + POLICY).documents()).hasSize(1);
    assertThat(parse("\uFEFF{\"type\": \"MeshPassthrough\", \"name\": \"j\"}").documents())
        .hasSize(1);
  }

  @Test
  void invalidUtf8_isAProblemAtTheBadByte() {
    byte[] bytes =
        concat(
            utf8("type: MeshPassthrough\nname: ab"),
            new byte[] {(byte) 0xC3, (byte) 0x28},
            utf8("\n"));

    ParseProblem problem = onlyProblem(parseBytes(bytes));

    assertThat(at(problem, 2, 9, ""))
        .isEqualTo(
            "input is not valid UTF-8: byte 0xC3 at byte offset 30 does not start or continue a character");
  }

  @Test
  void truncatedUtf8AtTheEnd_isAProblem() {
    ParseProblem problem =
        onlyProblem(parseBytes(concat(utf8("name: x"), new byte[] {(byte) 0xE2, (byte) 0x82})));

    assertThat(problem.message()).startsWith("input is not valid UTF-8");
    assertThat(problem.location().line()).isEqualTo(1);
  }

  @Test
  void utf16Input_isAProblemSayingOnlyUtf8IsRead() {
    ParseProblem problem =
        onlyProblem(parseBytes(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, utf8("t\0y\0"))));

    assertThat(at(problem, 1, 1, ""))
        .isEqualTo("input starts with a UTF-16 byte order mark; only UTF-8 is read");
  }

  @Test
  void nulCharacter_isAProblemAtItsPosition() {
    ParseProblem problem = onlyProblem("type: MeshPassthrough\nname: a\u0000b\n");

    assertThat(at(problem, 2, 8, ""))
        .isEqualTo(
            "invalid YAML: character U+0000 is not allowed; YAML text may hold only printable characters");
  }

  @Test
  void controlCharacter_isAProblemAtItsPosition() {
    ParseProblem problem = onlyProblem("type: MeshPassthrough\r\nname: \u0007\r\n");

    assertThat(at(problem, 2, 7, "")).contains("U+0007");
  }

  @Test
  void controlCharacterInJsonString_isAProblem() {
    ParseProblem problem = onlyProblem("{\"type\": \"Mesh\u0001Passthrough\"}");

    assertThat(problem.location().line()).isEqualTo(1);
    assertThat(problem.message()).startsWith("invalid ");
  }

  @Test
  void windowsLineEndings_areRead() {
    ParseResult result = parse("default:\r\n  appendMatch:\r\n  - port: x\r\n");

    assertThat(at(onlyProblem(result), 3, 11, "spec.default.appendMatch[0].port"))
        .contains("got string \"x\"");
  }

  @Test
  void nonAsciiText_isKeptAsWritten() {
    PolicyDocument document = parse("type: MeshPassthrough\nname: grüße-日本\n").documents().get(0);

    assertThat(document.name()).contains("grüße-日本");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
