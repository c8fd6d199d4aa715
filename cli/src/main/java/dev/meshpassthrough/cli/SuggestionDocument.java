package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The document {@code suggest} prints: a {@code MeshPassthrough} in Universal or Kubernetes shape,
 * in YAML (with a header comment) or JSON, and its strict validation.
 *
 * @param name the policy's name
 * @param mesh the mesh it belongs to
 * @param shape Universal or Kubernetes
 */
record SuggestionDocument(String name, String mesh, Shape shape) {
  /** The namespace of a Kubernetes document: Kuma's system namespace, where policies live. */
  static final String NAMESPACE = "kuma-system";

  /** The shape of the document ({@code --format}). */
  enum Shape {
    /** {@code type}, {@code name}, {@code mesh}, {@code spec}, as {@code kumactl apply} takes. */
    universal,
    /** {@code apiVersion}, {@code kind}, {@code metadata} with the mesh label, {@code spec}. */
    kubernetes
  }

  /** The tree of the document holding {@code matches}, keys in Kuma's order. */
  Map<String, Object> tree(List<Match> matches) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (shape == Shape.universal) {
      root.put("type", "MeshPassthrough");
      root.put("name", name);
      root.put("mesh", mesh);
    } else {
      root.put("apiVersion", "kuma.io/v1alpha1");
      root.put("kind", "MeshPassthrough");
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("name", name);
      metadata.put("namespace", NAMESPACE);
      metadata.put("labels", Map.of("kuma.io/mesh", mesh));
      root.put("metadata", metadata);
    }
    List<Object> appendMatch = new ArrayList<>();
    for (Match match : matches) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", match.type().wireName());
      entry.put("value", match.destination().value());
      entry.put("port", match.port().orElseThrow().value());
      entry.put("protocol", match.protocol().wireName());
      appendMatch.add(entry);
    }
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("passthroughMode", "Matched");
    conf.put("appendMatch", appendMatch);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("targetRef", Map.of("kind", "Mesh"));
    spec.put("default", conf);
    root.put("spec", spec);
    return root;
  }

  /**
   * The text of the document: {@code header} as {@code #} comments, then the YAML; or the JSON,
   * which cannot hold comments, without it.
   */
  String text(List<Match> matches, List<String> header, OutputFormat format) {
    return withHeader(body(matches, format), header, format);
  }

  /** The document holding {@code matches} in {@code format}, without a header. */
  String body(List<Match> matches, OutputFormat format) {
    return StructuredOutput.write(tree(matches), format);
  }

  /** {@code body} under {@code header} as {@code #} comments in YAML; JSON as it is. */
  static String withHeader(String body, List<String> header, OutputFormat format) {
    if (format != OutputFormat.yaml) {
      return body;
    }
    StringBuilder out = new StringBuilder();
    for (String line : header) {
      // A file name may hold a line break, which would end the comment: escape every one.
      String comment =
          PolicyInputs.oneLine(line).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
      out.append(comment.isEmpty() ? "#" : "# " + comment).append('\n');
    }
    return out.append(body).toString();
  }

  /**
   * The errors and warnings strict validation finds in {@code text}, read back as a user would read
   * it.
   *
   * @return the violations, sorted by path; empty when it validates cleanly
   * @throws IllegalStateException when the text is not one document: the writer is broken
   */
  static List<Violation> violations(String text) {
    ParseResult parsed = PolicyParser.create().parse(text, "suggestion");
    if (!parsed.isClean() || parsed.documents().size() != 1) {
      throw new IllegalStateException("the suggestion does not read back: " + parsed.problems());
    }
    PolicyDocument document = parsed.documents().get(0);
    ValidationResult result = PolicyValidator.create().validate(document);
    return result.violations();
  }

  /** Whether {@code violation} is in the name or mesh, which the user chose, not in the spec. */
  static boolean aboutTheName(Violation violation) {
    return !violation.path().startsWith(FieldPath.of("spec"));
  }
}
