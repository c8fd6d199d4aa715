package dev.meshpassthrough.core.resolve.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.MatchConflicts;
import dev.meshpassthrough.core.resolve.MergedConf;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.RankKeys;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * From the applied policies to the merged and effective conf and the outcome
 * (docs/selection-and-merge.md#proxies-the-plugin-skips, docs/selection-and-merge.md#merge,
 * docs/selection-and-merge.md#after-the-merge).
 */
public final class Outcomes {
  /** The rule id of the warning that only the name order chose between contradicting modes. */
  public static final String MODE_NAME_ORDER = "resolve.mode.name-order";

  /**
   * The rule id of the warning that an ignored appendMatch could not be translated under Matched.
   */
  public static final String IGNORED_MATCH_CONFLICT = "resolve.append-match.ignored-conflict";

  /** Kuma 3.x drops a merged entry (a domain without a port, or a chain an earlier entry owns). */
  public static final String DROPPED_V3 = "resolve.append-match.dropped";

  /** Kuma 3.x does not copy a port-less merged entry onto a port another entry owns. */
  public static final String NOT_COPIED_V3 = "resolve.append-match.not-copied";

  private Outcomes() {}

  /**
   * The resolution of the applied policies.
   *
   * @param applied the selecting policies, sorted weakest first
   * @param proxy the proxy
   * @param context the control plane
   * @param selectionWarnings the warnings of selection, in their final order
   * @return the resolution
   */
  public static Resolution resolution(
      List<AppliedPolicy> applied,
      ProxyDescriptor proxy,
      ControlPlaneContext context,
      List<Problem> selectionWarnings) {
    List<Problem> warnings = new ArrayList<>(selectionWarnings);
    if (applied.isEmpty()) {
      return new Resolution(
          applied, Optional.empty(), Optional.empty(), withoutPolicy(context), warnings);
    }
    MergedConf merged =
        MergedConf.mergeAll(
            applied.stream().map(a -> MergedConf.of(a.name(), a.policy().conf())).toList());
    warnings.addAll(modeDecidedByName(applied));
    // docs/selection-and-merge.md#proxies-the-plugin-skips
    Optional<Problem> notApplied = proxy.passthroughApplicability(context.line()).kumaWarning();
    if (notApplied.isPresent()) {
      warnings.add(notApplied.get());
      return new Resolution(
          applied,
          Optional.of(merged),
          Optional.empty(),
          Outcome.of(Outcome.Kind.NOT_APPLIED, notApplied.get().message()),
          warnings);
    }
    PassthroughMode mode = merged.conf().effectiveMode();
    PassthroughConf effective = new PassthroughConf(Optional.of(mode), merged.conf().appendMatch());
    String modeText = modeText(applied, mode);
    List<ResolutionProblem> problems;
    int count;
    if (context.line() == KumaLine.V3) {
      Kuma3Conflicts conflicts = Kuma3Conflicts.find(merged.matches());
      problems = problemsV3(merged, conflicts, warnings);
      // Kuma 3.x allows what its generator keeps.
      count = conflicts.kept().size();
    } else {
      problems = problems(merged);
      count = merged.entries().size();
    }
    Outcome outcome =
        switch (mode) {
          case ALL ->
              Outcome.of(
                  Outcome.Kind.ALLOW_ALL,
                  modeText
                      + ": every destination is allowed"
                      + (count > 0 ? " and appendMatch is ignored" : ""));
          case NONE ->
              Outcome.of(
                  Outcome.Kind.BLOCK_ALL,
                  modeText
                      + ": no destination is allowed"
                      + (count > 0 ? " and appendMatch is ignored" : ""));
          case MATCHED -> {
            if (!problems.isEmpty()) {
              yield Outcome.translationError(
                  modeText
                      + ", but the merged appendMatch cannot be translated ("
                      + problems.size()
                      + (problems.size() == 1 ? " problem)" : " problems)"),
                  problems);
            }
            yield count == 0
                ? Outcome.of(
                    Outcome.Kind.BLOCK_ALL,
                    modeText + " without appendMatch entries: no destination is allowed")
                : Outcome.of(
                    Outcome.Kind.ALLOW_MATCHED_ONLY,
                    modeText
                        + ": only the "
                        + count
                        + " appendMatch "
                        + (count == 1 ? "entry is" : "entries are")
                        + " allowed");
          }
        };
    if (mode != PassthroughMode.MATCHED) {
      problems.forEach(
          p ->
              warnings.add(
                  Problem.of(
                      IGNORED_MATCH_CONFLICT,
                      Severity.WARNING,
                      "appendMatch is ignored while "
                          + "passthroughMode is "
                          + mode.wireName()
                          + ", but it could not be translated under Matched: "
                          + p.message())));
    }
    return new Resolution(applied, Optional.of(merged), Optional.of(effective), outcome, warnings);
  }

  /**
   * Policies that rank equally but for their names and set another passthroughMode than the winner:
   * only the name order (Kuma's last key, docs/selection-and-merge.md#display-name) decides, so
   * renaming a policy flips the outcome. Kuma says nothing; we warn once per losing policy.
   */
  static List<Problem> modeDecidedByName(List<AppliedPolicy> applied) {
    List<Problem> warnings = new ArrayList<>();
    int source = applied.size() - 1;
    while (source >= 0 && applied.get(source).policy().conf().passthroughMode().isEmpty()) {
      source--;
    }
    if (source < 0) {
      return warnings;
    }
    AppliedPolicy winner = applied.get(source);
    PassthroughMode mode = winner.policy().conf().passthroughMode().orElseThrow();
    for (int i = 0; i < source; i++) {
      AppliedPolicy loser = applied.get(i);
      Optional<PassthroughMode> lost = loser.policy().conf().passthroughMode();
      if (lost.isEmpty()
          || lost.get() == mode
          || !sameRankButNames(winner.rankKeys(), loser.rankKeys())) {
        continue;
      }
      RankKeys w = winner.rankKeys();
      RankKeys l = loser.rankKeys();
      String decider =
          w.displayName().equals(l.displayName())
              ? "the display names are equal, so the core name decides (meshpassthrough's last key; Kuma's order is unstable "
                  + "here), and '"
                  + w.coreName()
                  + "' sorts before '"
                  + l.coreName()
                  + "'"
              : "so the display name decides, and '"
                  + w.displayName()
                  + "' sorts before '"
                  + l.displayName()
                  + "'";
      // Said of the merged conf's field, not of one policy: it names both, the winner and the
      // loser.
      warnings.add(
          Problem.of(
                  MODE_NAME_ORDER,
                  Severity.WARNING,
                  "passthroughMode "
                      + mode.wireName()
                      + " of policy "
                      + winner.name()
                      + " overrides "
                      + lost.get().wireName()
                      + " of policy "
                      + loser.name()
                      + " only by name order: both "
                      + "are kind "
                      + w.kind().wireName()
                      + " with origin "
                      + w.origin().orElse("(none)")
                      + " and role "
                      + w.role()
                      + ", "
                      + decider
                      + "; rename one or make one more specific if the other should win")
              .at(FieldPath.of("spec", "default", "passthroughMode")));
    }
    return warnings;
  }

  private static boolean sameRankButNames(RankKeys a, RankKeys b) {
    return a.kindRank() == b.kindRank()
        && a.specificityRank() == b.specificityRank()
        && a.originRank() == b.originRank()
        && a.roleRank() == b.roleRank();
  }

  /**
   * No policy applies: the plugin changes nothing; Kuma 2.x's Mesh switch decides
   * (docs/selection-and-merge.md#no-policy-selects-the-proxy).
   */
  private static Outcome withoutPolicy(ControlPlaneContext context) {
    if (context.line() == KumaLine.V2
        && context.meshPassthrough() == ControlPlaneContext.MeshPassthroughSwitch.OFF) {
      return Outcome.of(
          Outcome.Kind.BLOCK_ALL,
          "no MeshPassthrough policy selects the proxy, and the Mesh turns "
              + "passthrough off (spec.networking.outbound.passthrough: false)");
    }
    return Outcome.of(
        Outcome.Kind.ALLOW_ALL,
        "no MeshPassthrough policy selects the proxy, so the default passthrough "
            + "allows every destination"
            + (context.line() == KumaLine.V2 ? " (the Mesh's passthrough switch is on)" : ""));
  }

  private static String modeText(List<AppliedPolicy> applied, PassthroughMode mode) {
    for (int i = applied.size() - 1; i >= 0; i--) {
      if (applied.get(i).policy().conf().passthroughMode().isPresent()) {
        return "passthroughMode " + mode.wireName() + " from " + applied.get(i).name();
      }
    }
    return "passthroughMode Matched by default (no policy sets a mode)";
  }

  /**
   * Kuma 3.x: the merged entries its generator drops or does not copy onto a port are warnings
   * naming the entry's policy and index (docs/selection-and-merge.md#kuma-3x-conflicts); what is
   * left can still hold chains Envoy cannot tell apart, which are problems as under 2.x. Kuma 3.x's
   * translator never fails on layer-7 protocols sharing a port.
   */
  private static List<ResolutionProblem> problemsV3(
      MergedConf merged, Kuma3Conflicts conflicts, List<Problem> warnings) {
    for (Kuma3Conflicts.Dropped dropped : conflicts.dropped()) {
      AttributedMatch entry = merged.entries().get(dropped.index());
      warnings.add(
          aboutEntry(
              DROPPED_V3, entry, "Kuma 3.x drops " + entry(entry) + ": " + dropped.reason()));
    }
    for (Kuma3Conflicts.Suppressed suppressed : conflicts.suppressed()) {
      AttributedMatch entry = merged.entries().get(suppressed.index());
      warnings.add(
          aboutEntry(
              NOT_COPIED_V3,
              entry,
              "Kuma 3.x does not apply "
                  + entry(entry)
                  + " on port "
                  + suppressed.port()
                  + ": "
                  + suppressed.warning()));
    }
    List<AttributedMatch> kept = conflicts.kept().stream().map(merged.entries()::get).toList();
    List<ResolutionProblem> problems = new ArrayList<>();
    for (MatchConflicts.Conflict conflict :
        MatchConflicts.find(kept.stream().map(AttributedMatch::match).toList())) {
      if (conflict.ruleId().equals(MatchConflicts.SAME_PORT_LAYER7)) {
        continue;
      }
      problems.add(
          new ResolutionProblem(
              conflict.ruleId(),
              conflict.message(i -> kept.get(i).toString()),
              conflict.entries().stream().map(kept::get).toList()));
    }
    return problems;
  }

  /** {@code appendMatch[i] (Domain x:443/tls)}: the entry in its own policy. */
  private static String entry(AttributedMatch entry) {
    return "appendMatch[" + entry.index() + "] (" + entry.match() + ")";
  }

  /** A warning about one merged entry, said of its policy and its field there. */
  private static Problem aboutEntry(String ruleId, AttributedMatch entry, String message) {
    return Problem.of(ruleId, Severity.WARNING, message)
        .of(entry.policy())
        .at(FieldPath.of("spec", "default", "appendMatch[" + entry.index() + "]"));
  }

  /** The conflicts of the merged entries, each entry named by its policy and index there. */
  private static List<ResolutionProblem> problems(MergedConf merged) {
    List<ResolutionProblem> problems = new ArrayList<>();
    for (MatchConflicts.Conflict conflict : MatchConflicts.find(merged.matches())) {
      String message = conflict.message(i -> merged.entries().get(i).toString());
      problems.add(
          new ResolutionProblem(
              conflict.ruleId(),
              message,
              conflict.entries().stream().map(i -> merged.entries().get(i)).toList()));
    }
    return problems;
  }
}
