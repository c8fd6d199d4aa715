package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import dev.meshpassthrough.validation.guardrails.Guardrails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshpassthrough validate}: print the violations of each policy. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate MeshPassthrough policies with Kuma's rules and meshpassthrough's own.",
      "",
      "With --guardrails FILE, each valid policy is also checked against the operator's guardrails: findings (rule "
          + "ids guardrail.*) are violations in every output format, and an error finding makes the policy invalid.",
      "",
      "Exit status: 0 every policy is valid (warnings allowed, unless --fail-on warning), 1 some policy has an error "
          + "(with --fail-on warning: or a warning), 2 some input or the guardrails file could not be read or parsed, "
          + "or the command line was misused."
    })
final class ValidateCommand implements Callable<Integer>, StreamsAware {

  /** What makes the run fail (exit 1). */
  enum FailOn {
    /** Errors only: warnings are printed and the run succeeds. */
    error,
    /** Errors and warnings. */
    warning
  }

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = OutputFormat.ForValidate.class,
      completionCandidates = OutputFormat.ForValidate.class,
      description =
          "text, yaml, json, sarif, github or junit "
              + "(default: ${DEFAULT-VALUE}). yaml and json print Kuma's shape `violations: [{field, message}]` (plus `severity` "
              + "and `rule` for warnings) for one document, and `documents: [{source, policy, violations}]` for several. "
              + "sarif (SARIF 2.1.0), github (workflow annotations) and junit (JUnit XML, one test case per document) have one "
              + "schema whatever the number of inputs, with rule ids, lines and columns, parse problems included.")
  OutputFormat output;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "error",
      description =
          "error or warning (default: ${DEFAULT-VALUE}): the least severe violation that makes the run exit 1.")
  FailOn failOn;

  @Option(
      names = "--kuma-version",
      paramLabel = "VERSION",
      description =
          "2 or 3: the Kuma line whose targetRef rules apply (default: ${DEFAULT-VALUE}).",
      defaultValue = "2",
      converter = KumaLineConverter.class)
  KumaLine kumaVersion;

  @Option(
      names = "--errors-only",
      description =
          "Leave warnings out of the output. With --output yaml, a bare spec "
              + "then prints exactly what Kuma's validator reports, since Kuma has no warnings.")
  boolean errorsOnly;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @CommandLine.Mixin PolicyReadingOptions reading = new PolicyReadingOptions();

  @CommandLine.Mixin GuardrailsOption guardrails = new GuardrailsOption();

  @Parameters(
      paramLabel = "FILE|DIR|-",
      arity = "1..*",
      description = "Policy files (YAML or JSON), directories, or - for standard input.")
  List<String> inputs = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    if (errorsOnly && failOn == FailOn.warning) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--fail-on warning and --errors-only cannot be combined: the warnings that fail the run would not be printed");
    }
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    ParseResult parsed = PolicyInputs.read(inputs, streams, reading.parser());
    PolicyInputs.report(parsed, streams);
    PolicyValidator validator = PolicyValidator.create(new ValidationOptions(kumaVersion));
    List<ValidationReport.Checked> checked = new ArrayList<>();
    List<ValidationResult> validated = validator.validateAll(parsed.documents());
    for (int i = 0; i < validated.size(); i++) {
      ValidationResult result = validated.get(i);
      if (result.isValid() && guardrails.guardrails().isPresent()) {
        result = guarded(result, guardrails.guardrails().get());
      }
      if (errorsOnly) {
        result = new ValidationResult(result.errors(), result.policy());
      }
      checked.add(new ValidationReport.Checked(parsed.documents().get(i), result));
    }
    ValidationReport report = new ValidationReport(checked, parsed.problems(), parsed.notes());
    streams
        .out()
        .print(
            switch (output) {
              case text -> text(report);
              case yaml, json -> StructuredOutput.write(tree(checked), output);
              case sarif -> SarifReport.write(report, VersionProvider.version());
              case github -> GithubAnnotations.write(report);
              case junit -> JunitReport.write(report);
            });
    if (!parsed.isClean()) {
      return ExitCode.UNREADABLE;
    }
    boolean fails = report.errors() > 0 || (failOn == FailOn.warning && report.warnings() > 0);
    return fails ? ExitCode.INVALID : ExitCode.OK;
  }

  /**
   * A valid policy's result with the guardrails' findings after the validator's violations; an
   * error finding makes the policy invalid, as a validation error does.
   */
  private static ValidationResult guarded(ValidationResult result, Guardrails rules) {
    List<Violation> violations = new ArrayList<>(result.violations());
    violations.addAll(rules.check(result.orElseThrow()));
    boolean failed = violations.stream().anyMatch(Violation::isError);
    return new ValidationResult(violations, failed ? Optional.empty() : result.policy());
  }

  /**
   * One line per violation, then the summary: policies, errors and warnings, and the parse problems
   * when there are any (notes on skipped parts are on standard error).
   */
  private static String text(ValidationReport report) {
    StringBuilder out = new StringBuilder();
    for (ValidationReport.Checked checked : report.checked()) {
      PolicyDocument document = checked.document();
      for (Violation violation : checked.result().violations()) {
        out.append(document.locationOf(violation.path()))
            .append(": ")
            .append(violation.severity().wireName())
            .append(": ")
            .append(violation.path())
            .append(": ")
            .append(PolicyInputs.oneLine(violation.message()))
            .append(" [")
            .append(violation.ruleId())
            .append("]\n");
      }
    }
    int policies = report.checked().size();
    long invalid = report.checked().stream().filter(c -> !c.result().isValid()).count();
    out.append(count(policies, "policy", "policies"))
        .append(": ")
        .append(policies - invalid)
        .append(" valid, ")
        .append(invalid)
        .append(" invalid; ")
        .append(count(report.errors(), "error", "errors"))
        .append(", ")
        .append(count(report.warnings(), "warning", "warnings"));
    if (!report.problems().isEmpty()) {
      out.append("; ").append(count(report.problems().size(), "parse problem", "parse problems"));
    }
    return out.append('\n').toString();
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** Kuma's shape: {@code violations} for one document, {@code documents} for several. */
  private static Object tree(List<ValidationReport.Checked> results) {
    if (results.size() == 1) {
      return Map.of("violations", violations(results.get(0).result()));
    }
    List<Object> documents = new ArrayList<>();
    for (ValidationReport.Checked entry : results) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("source", entry.document().location().toString());
      document.put("policy", entry.document().coreName());
      document.put("violations", violations(entry.result()));
      documents.add(document);
    }
    return Map.of("documents", documents);
  }

  private static List<Object> violations(ValidationResult result) {
    List<Object> out = new ArrayList<>();
    for (Violation violation : result.violations()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("field", violation.path().toString());
      item.put("message", violation.message());
      if (!violation.isError()) {
        // Kuma's shape for errors, exactly; warnings are ours and say which rule they come from.
        item.put("severity", violation.severity().wireName());
        item.put("rule", violation.ruleId());
      }
      out.add(item);
    }
    return out;
  }
}
