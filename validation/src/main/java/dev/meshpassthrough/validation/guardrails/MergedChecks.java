package dev.meshpassthrough.validation.guardrails;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.MergedConf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guardrails on the merged conf of one proxy, for what policies breach only together: entries
 * of several policies reaching a network too wide, and more entries than a proxy may have. Rules on
 * single entries and single policies are {@link PolicyChecks}' and are not repeated here.
 */
final class MergedChecks {
  private MergedChecks() {}

  static List<Problem> check(Rules rules, MergedConf merged) {
    List<AttributedMatch> entries = merged.entries();
    List<Problem> out = new ArrayList<>();
    for (NetworkCover.Finding finding : NetworkCover.combined(entries, rules.widestPrefix())) {
      if (finding.entries().stream().map(AttributedMatch::policy).distinct().count() < 2) {
        continue; // within one policy: that policy's own check reports it
      }
      boolean everything = finding.block().isEverything();
      out.add(
          at(
              finding.entries().get(0),
              everything ? PolicyChecks.EVERYTHING : PolicyChecks.TOO_WIDE,
              everything ? Severity.ERROR : rules.widestPrefix().orElseThrow().severity(),
              PolicyChecks.coverMessage(finding, AttributedMatch::toString, rules)));
    }
    rules
        .maxEntries()
        .flatMap(Rules.MaxEntries::perProxy)
        .filter(limit -> entries.size() > limit)
        .ifPresent(
            limit ->
                out.add(
                    at(
                        entries.get(limit),
                        PolicyChecks.PER_PROXY,
                        rules.maxEntries().orElseThrow().severity(),
                        "the merged conf of the proxy has "
                            + entries.size()
                            + " appendMatch entries (from policies "
                            + String.join(
                                ", ",
                                entries.stream().map(AttributedMatch::policy).distinct().toList())
                            + "), more than the "
                            + limit
                            + " the guardrails allow per proxy; the first entry over the limit is "
                            + entries.get(limit))));
    return List.copyOf(out);
  }

  /** A problem said of the entry's own policy and index, as the pipeline says conflicts. */
  private static Problem at(AttributedMatch entry, String ruleId, Severity severity, String text) {
    return new Problem(
        ruleId,
        severity,
        text,
        Optional.of(entry.policy()),
        Optional.of(PolicyChecks.APPEND_MATCH.index(entry.index())));
  }
}
