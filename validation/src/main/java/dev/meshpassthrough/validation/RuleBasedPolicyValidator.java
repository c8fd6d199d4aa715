package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.validation.internal.PolicyRules;
import java.util.List;
import java.util.Objects;

/**
 * The {@link PolicyValidator} of {@link PolicyValidator#create(ValidationOptions)}: every rule of
 * {@link PolicyRules}. Stateless and thread-safe.
 */
final class RuleBasedPolicyValidator implements PolicyValidator {
  private final PolicyRules rules;

  RuleBasedPolicyValidator(ValidationOptions options) {
    this.rules = new PolicyRules(Objects.requireNonNull(options, "options"));
  }

  @Override
  public ValidationResult validate(PolicyDocument document) {
    return rules.validate(document);
  }

  @Override
  public List<ValidationResult> validateAll(List<PolicyDocument> documents) {
    return rules.validateAll(documents);
  }
}
