package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.DocumentFormat;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule about several documents together: a mesh holds one policy of a name, as Kuma's store
 * does. A document whose mesh and core name an earlier document already has is an error, {@value
 * #DUPLICATE}, at its name (for a bare spec, which is named after its file, at {@code spec}).
 */
final class DocumentNames {
  static final String DUPLICATE = "document.name.duplicate";

  private DocumentNames() {}

  /** {@code results}, one per document, with the duplicate error put first where it applies. */
  static List<ValidationResult> withDuplicates(
      List<PolicyDocument> documents, List<ValidationResult> results) {
    Map<List<String>, PolicyDocument> first = new HashMap<>();
    List<ValidationResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < documents.size(); i++) {
      PolicyDocument document = documents.get(i);
      PolicyDocument earlier =
          first.putIfAbsent(List.of(document.meshName(), document.coreName()), document);
      if (earlier == null) {
        out.add(results.get(i));
        continue;
      }
      List<Violation> violations = new ArrayList<>();
      violations.add(Violation.error(path(document), DUPLICATE, message(document, earlier)));
      violations.addAll(results.get(i).violations());
      out.add(new ValidationResult(violations, Optional.empty()));
    }
    return List.copyOf(out);
  }

  private static FieldPath path(PolicyDocument document) {
    return switch (document.format()) {
      case KUBERNETES -> FieldPath.of("metadata", "name");
      case UNIVERSAL -> FieldPath.of("name");
      case BARE_SPEC -> FieldPath.of("spec");
    };
  }

  private static String message(PolicyDocument document, PolicyDocument earlier) {
    String named =
        document.format() == DocumentFormat.BARE_SPEC
            ? " (a bare spec is named after its file, without the extension)"
            : "";
    return "policy "
        + document.coreName()
        + " of mesh "
        + document.meshName()
        + " is also defined at "
        + earlier.location()
        + named
        + ": a mesh holds one policy of a name";
  }
}
