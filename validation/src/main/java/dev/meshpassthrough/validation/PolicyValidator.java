package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.document.PolicyDocument;

/**
 * Validates MeshPassthrough documents with Kuma's rules and meshpassthrough's own.
 *
 * <p>Stateless and thread-safe; never throws for bad input.
 */
public interface PolicyValidator {

  /** A validator for Kuma 2.x. */
  static PolicyValidator create() {
    return create(ValidationOptions.defaults());
  }

  /** A validator with the given options. */
  static PolicyValidator create(ValidationOptions options) {
    return new dev.meshpassthrough.validation.internal.RuleBasedPolicyValidator(options);
  }

  /** Validates one document; the result holds the typed policy when there is no error. */
  ValidationResult validate(PolicyDocument document);
}
