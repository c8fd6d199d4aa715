package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
      "Exit status: 0 every policy is valid (warnings allowed), 1 some policy has an error,",
      "2 some input could not be read or parsed, or the command line was misused."
    })
final class ValidateCommand implements Callable<Integer>, StreamsAware {

  @Option(names = "--output", paramLabel = "FORMAT", description = "text, yaml or json (default: ${DEFAULT-VALUE}). "
      + "yaml and json print Kuma's shape `violations: [{field, message}]` (plus `severity` and `rule` for warnings) for one "
      + "document, and `documents: [{source, policy, violations}]` for several.", defaultValue = "text")
  OutputFormat output;

  @Option(names = "--kuma-version", paramLabel = "VERSION", description = "2 or 3: the Kuma line whose targetRef rules apply (default: ${DEFAULT-VALUE}).",
      defaultValue = "2", converter = KumaLineConverter.class)
  KumaLine kumaVersion;

  @Option(names = "--errors-only", description = "Leave warnings out of the output. With --output yaml, a bare spec "
      + "then prints exactly what Kuma's validator reports, since Kuma has no warnings.")
  boolean errorsOnly;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;

  @Parameters(paramLabel = "FILE|DIR|-", arity = "1..*", description = "Policy files (YAML or JSON), directories, or - for standard input.")
  List<String> inputs = new ArrayList<>();

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    ParseResult parsed = PolicyInputs.read(inputs, streams, PolicyParser.create());
    PolicyInputs.report(parsed, streams);
    PolicyValidator validator = PolicyValidator.create(new ValidationOptions(kumaVersion));
    List<Map.Entry<PolicyDocument, ValidationResult>> results = new ArrayList<>();
    List<ValidationResult> validated = validator.validateAll(parsed.documents());
    for (int i = 0; i < validated.size(); i++) {
      PolicyDocument document = parsed.documents().get(i);
      ValidationResult result = validated.get(i);
      if (errorsOnly) {
        result = new ValidationResult(result.errors(), result.policy());
      }
      results.add(Map.entry(document, result));
    }
    if (output == OutputFormat.text) {
      printText(results);
    } else {
      streams.out().print(StructuredOutput.write(tree(results), output));
    }
    if (!parsed.isClean()) {
      return ExitCode.UNREADABLE;
    }
    return results.stream().allMatch(r -> r.getValue().isValid()) ? ExitCode.OK : ExitCode.INVALID;
  }

  private void printText(List<Map.Entry<PolicyDocument, ValidationResult>> results) {
    int errors = 0;
    int warnings = 0;
    int invalid = 0;
    for (Map.Entry<PolicyDocument, ValidationResult> entry : results) {
      PolicyDocument document = entry.getKey();
      ValidationResult result = entry.getValue();
      for (Violation violation : result.violations()) {
        streams.out().println(document.locationOf(violation.path()) + ": " + violation.severity().wireName() + ": "
            + violation.path() + ": " + PolicyInputs.oneLine(violation.message()) + " [" + violation.ruleId() + "]");
      }
      errors += result.errors().size();
      warnings += result.warnings().size();
      invalid += result.isValid() ? 0 : 1;
    }
    streams.out().println(results.size() + (results.size() == 1 ? " policy" : " policies") + ": "
        + (results.size() - invalid) + " valid, " + invalid + " invalid; "
        + errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings"));
  }

  private static Object tree(List<Map.Entry<PolicyDocument, ValidationResult>> results) {
    if (results.size() == 1) {
      return Map.of("violations", violations(results.get(0).getValue()));
    }
    List<Object> documents = new ArrayList<>();
    for (Map.Entry<PolicyDocument, ValidationResult> entry : results) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("source", entry.getKey().location().toString());
      document.put("policy", entry.getKey().coreName());
      document.put("violations", violations(entry.getValue()));
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
