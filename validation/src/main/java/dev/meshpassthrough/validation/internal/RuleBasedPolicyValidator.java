package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;

/** Work in progress. */
public final class RuleBasedPolicyValidator implements PolicyValidator {
  private final ValidationOptions options;

  public RuleBasedPolicyValidator(ValidationOptions options) {
    this.options = options;
  }

  @Override
  public ValidationResult validate(PolicyDocument document) {
    throw new UnsupportedOperationException("todo " + options);
  }
}
