package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * Golden files of the CLI, compared after parsing (a JSON tree, an XML DOM without indentation),
 * and rewritten only on purpose with {@code -Dgolden.update=true}, to be reviewed in the diff.
 */
final class Golden {
  static final Path DIR = Path.of("src/test/resources/dev/meshpassthrough/cli/golden");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  /** Asserts that {@code actual} is the same JSON tree as the golden file {@code name}. */
  static void assertJson(String actual, String name) throws IOException {
    update(actual, name);
    assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(DIR.resolve(name).toFile()));
  }

  /** Asserts that {@code actual} is the same XML document as the golden file {@code name}. */
  static void assertXml(String actual, String name) throws Exception {
    update(actual, name);
    Document got = xml(actual);
    Document want = xml(Files.readString(DIR.resolve(name)));
    assertThat(got.isEqualNode(want))
        .as("%s differs from %s:%n%s", "the output", name, actual)
        .isTrue();
  }

  /** Asserts that {@code actual} has the lines of the golden file {@code name}. */
  static void assertLines(String actual, String name) throws IOException {
    update(actual, name);
    assertThat(actual.lines())
        .containsExactlyElementsOf(Files.readString(DIR.resolve(name)).lines().toList());
  }

  /** Parses XML, its whitespace-only text nodes removed (indentation is not content). */
  static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    Document document =
        builder.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    strip(document.getDocumentElement());
    document.normalizeDocument();
    return document;
  }

  private static void strip(Node node) {
    Node child = node.getFirstChild();
    while (child != null) {
      Node next = child.getNextSibling();
      if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) {
        node.removeChild(child);
      } else {
        strip(child);
      }
      child = next;
    }
  }

  private static void update(String actual, String name) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name), actual);
    }
  }
}
