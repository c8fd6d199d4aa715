package dev.meshpassthrough.cli;

import java.util.Map;

/**
 * The one-line description of a rule id, for the rule lists of machine formats (SARIF's {@code
 * shortDescription}): the reading rules are described in words, a validator rule by its id read as
 * words ({@code kuma.match.port.range} is "Kuma rule: match port range"), which stays true whatever
 * the message of one violation says.
 */
final class RuleText {
  private static final Map<String, String> READING =
      Map.of(
          ValidationReport.PARSE_PROBLEM,
              "The input could not be read as a MeshPassthrough document",
          ValidationReport.PARSE_SKIPPED,
              "Part of the input was skipped: a document of another kind, or not a regular file");

  private RuleText() {}

  /** The description of {@code ruleId}. */
  static String describe(String ruleId) {
    String known = READING.get(ruleId);
    if (known != null) {
      return known;
    }
    boolean kuma = ruleId.startsWith("kuma.");
    String words =
        (kuma ? ruleId.substring("kuma.".length()) : ruleId).replace('.', ' ').replace('-', ' ');
    return (kuma ? "Kuma rule: " : "meshpassthrough rule: ") + words;
  }
}
