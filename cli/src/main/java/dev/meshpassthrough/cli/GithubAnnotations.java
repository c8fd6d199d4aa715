package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.SourceLocation;

/**
 * Writes a {@link ValidationReport} as GitHub Actions workflow commands, one line per finding in
 * the report's order: {@code ::error file=F,line=L,col=C,title=RULE::path: message} ({@code
 * ::warning} for warnings, {@code ::notice} for notes), which a workflow run shows as annotations
 * on the file.
 *
 * <p>Escaping follows the runner's workflow-command parser: in the message {@code %}, CR and LF are
 * written {@code %25}, {@code %0D} and {@code %0A}; in property values {@code :} and {@code ,} are
 * also escaped ({@code %3A}, {@code %2C}), since they delimit properties.
 */
final class GithubAnnotations {
  private GithubAnnotations() {}

  /** One workflow command per finding, each ending in a newline; empty when there is none. */
  static String write(ValidationReport report) {
    StringBuilder out = new StringBuilder();
    for (ValidationReport.Finding finding : report.findings()) {
      SourceLocation at = finding.location();
      out.append("::").append(command(finding)).append(" file=").append(property(at.source()));
      if (at.line() > 0) {
        out.append(",line=").append(at.line());
        if (at.column() > 0) {
          out.append(",col=").append(at.column());
        }
      }
      out.append(",title=")
          .append(property(finding.ruleId()))
          .append("::")
          .append(data(finding.messageWithPath()))
          .append('\n');
    }
    return out.toString();
  }

  private static String command(ValidationReport.Finding finding) {
    return switch (finding.severity()) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case NOTE -> "notice";
    };
  }

  /** A message: {@code %}, CR and LF escaped. */
  static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A property value: as {@link #data}, and {@code :} and {@code ,} too. */
  static String property(String text) {
    return data(text).replace(":", "%3A").replace(",", "%2C");
  }
}
