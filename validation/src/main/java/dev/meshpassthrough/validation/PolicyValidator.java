package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.document.PolicyDocument;
import java.util.List;

/**
 * Validates MeshPassthrough documents with Kuma's rules and meshpassthrough's own.
 *
 * <p>Stateless and thread-safe; never throws for bad input. Validate the documents of one run
 * together with {@link #validateAll}, which also holds a mesh to one policy of a name.
 */
public interface PolicyValidator {

  /**
   * A validator for Kuma 2.x.
   *
   * @return a strict validator with {@link ValidationOptions#defaults()}, never null
   */
  static PolicyValidator create() {
    return create(ValidationOptions.defaults());
  }

  /**
   * A validator with the given options.
   *
   * @param options the Kuma line and strictness to validate with, not null
   * @return a stateless, thread-safe validator, never null
   * @throws NullPointerException when {@code options} is null
   */
  static PolicyValidator create(ValidationOptions options) {
    return new RuleBasedPolicyValidator(options);
  }

  /**
   * Validates one document; the result holds the typed policy when there is no error.
   *
   * @param document the document as written, possibly invalid, not null
   * @return every violation of the document and, when none is an error, the typed policy; never
   *     null
   */
  ValidationResult validate(PolicyDocument document);

  /**
   * Validates documents that are read together, into one store: each as {@link #validate} does, and
   * one rule across them, since a mesh holds one policy of a name: a document whose mesh and core
   * name ({@link PolicyDocument#coreName()}; a bare spec is named after its file) an earlier
   * document already has is an error, rule {@code document.name.duplicate}, at its {@code name}
   * ({@code metadata.name}; {@code spec} for a bare spec), naming where the earlier one is.
   *
   * @param documents the documents of one run, in the order they were read (which decides the
   *     "earlier" document of a duplicate); not null, nor any element
   * @return one result per document, in the same order
   */
  List<ValidationResult> validateAll(List<PolicyDocument> documents);
}
