package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One problem {@code lint} found in one input.
 *
 * @param source the file
 * @param position where the resource starts in it, when known
 * @param severity {@code error}: Envoy rejects it; {@code warning}: Envoy takes it but does not do
 *     what it says (the {@code trap.*} rules)
 * @param resource {@code Listener NAME}, {@code Cluster NAME}, or {@code Envoy} for what a real
 *     Envoy said about the whole configuration
 * @param path where inside the resource, as proto JSON field names; empty for the whole resource
 * @param rule the stable rule id: {@code EnvoyAcceptance}'s ({@code pgv.*}, {@code listener.*},
 *     {@code route.*}, {@code cluster.*}, {@code trap.*}), {@code envoy.rejected} (a real Envoy
 *     rejected the configuration) or {@code envoy.error-state} (a config dump records an update
 *     Envoy rejected)
 * @param message what is wrong
 */
record LintProblem(
    String source,
    Optional<ResourceFile.Position> position,
    Severity severity,
    String resource,
    String path,
    String rule,
    String message) {

  /** How bad a problem is. */
  enum Severity {
    error,
    warning
  }

  /** A problem {@code EnvoyAcceptance} found. */
  static LintProblem of(
      String source, Optional<ResourceFile.Position> position, AcceptanceProblem problem) {
    Severity severity = problem.rule().startsWith("trap.") ? Severity.warning : Severity.error;
    return new LintProblem(
        source,
        position,
        severity,
        problem.resource(),
        problem.path(),
        problem.rule(),
        problem.message());
  }

  /** {@code FILE[:LINE:COLUMN]: SEVERITY: RESOURCE[ PATH]: MESSAGE [RULE]}, on one line. */
  @Override
  public String toString() {
    return source
        + position.map(p -> ":" + p).orElse("")
        + ": "
        + severity
        + ": "
        + resource
        + (path.isEmpty() ? "" : " " + path)
        + ": "
        + PolicyInputs.oneLine(message)
        + " ["
        + rule
        + "]";
  }

  /** The JSON form: severity, resource, path, rule, message, line, column (null when unknown). */
  Map<String, @Nullable Object> tree() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("severity", severity.name());
    out.put("resource", resource);
    out.put("path", path);
    out.put("rule", rule);
    out.put("message", message);
    out.put("line", position.map(ResourceFile.Position::line).orElse(null));
    out.put("column", position.map(ResourceFile.Position::column).orElse(null));
    return out;
  }
}
