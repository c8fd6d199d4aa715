package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code validate} found, in one model that every output format renders: each document
 * with its result, in input order, then what reading the input found (problems, then notes).
 *
 * @param checked each document read and its validation result, in input order
 * @param problems what could not be read, in input order
 * @param notes what reading skipped on purpose (documents of other kinds, entries that are not
 *     regular files), in input order
 */
record ValidationReport(
    List<Checked> checked, List<ParseProblem> problems, List<ParseProblem> notes) {
  /** The rule id of a part of the input that could not be read as a MeshPassthrough document. */
  static final String PARSE_PROBLEM = "parse.problem";

  /**
   * The rule id of a part of the input that was skipped on purpose (another kind, a named pipe).
   */
  static final String PARSE_SKIPPED = "parse.skipped";

  /** Copies the lists. */
  ValidationReport {
    checked = List.copyOf(checked);
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /**
   * One document and its validation result.
   *
   * @param document the document as written
   * @param result its violations
   */
  record Checked(PolicyDocument document, ValidationResult result) {
    /** The violations of this document as findings, in the result's order (sorted by path). */
    List<Finding> findings() {
      List<Finding> out = new ArrayList<>();
      for (Violation violation : result.violations()) {
        out.add(
            new Finding(
                violation.ruleId(),
                violation.severity(),
                violation.message(),
                document.locationOf(violation.path()),
                Optional.of(violation.path()),
                Optional.of(document.coreName())));
      }
      return out;
    }
  }

  /**
   * One violation, parse problem or note, in the terms every machine format shares.
   *
   * @param ruleId the stable rule id; {@value #PARSE_PROBLEM} or {@value #PARSE_SKIPPED} for
   *     reading
   * @param severity error, warning or note
   * @param message the message, as the validator or parser wrote it
   * @param location file, line and column (0 when unknown)
   * @param path the field path, empty when the problem is the text itself
   * @param policy the core name of the policy, empty for reading problems
   */
  record Finding(
      String ruleId,
      Severity severity,
      String message,
      SourceLocation location,
      Optional<FieldPath> path,
      Optional<String> policy) {
    /** {@code path: message}, or the message alone without a path. */
    String messageWithPath() {
      return path.map(p -> p + ": " + message).orElse(message);
    }
  }

  /** The problems as findings (errors), then the notes (notes). */
  List<Finding> readingFindings() {
    List<Finding> out = new ArrayList<>();
    for (ParseProblem problem : problems) {
      out.add(reading(PARSE_PROBLEM, Severity.ERROR, problem));
    }
    for (ParseProblem note : notes) {
      out.add(reading(PARSE_SKIPPED, Severity.NOTE, note));
    }
    return out;
  }

  /** Every finding: the documents' violations in input order, then {@link #readingFindings()}. */
  List<Finding> findings() {
    List<Finding> out = new ArrayList<>();
    checked.forEach(c -> out.addAll(c.findings()));
    out.addAll(readingFindings());
    return out;
  }

  /** How many violations are errors. */
  int errors() {
    return checked.stream().mapToInt(c -> c.result().errors().size()).sum();
  }

  /** How many violations are warnings. */
  int warnings() {
    return checked.stream().mapToInt(c -> c.result().warnings().size()).sum();
  }

  private static Finding reading(String ruleId, Severity severity, ParseProblem problem) {
    return new Finding(
        ruleId,
        severity,
        problem.message(),
        problem.location(),
        problem.path().isRoot() ? Optional.empty() : Optional.of(problem.path()),
        Optional.empty());
  }
}
