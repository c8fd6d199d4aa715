package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.AppliedPolicy;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.MergedConf;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.RankKeys;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tree {@code resolve} prints: plain maps and lists in a fixed key order, for YAML or JSON. */
final class ResolveOutput {
  private ResolveOutput() {}

  /**
   * {@code proxy}, {@code mesh}, {@code kumaVersion}, {@code applied}, {@code merged}, {@code
   * effective}, {@code outcome}, {@code reason}, {@code problems} (a translation error only),
   * {@code warnings}.
   */
  static Map<String, Object> tree(ProxyFile proxy, Resolution resolution) {
    return tree(proxy, resolution, Optional.empty());
  }

  /**
   * The tree of {@link #tree(ProxyFile, Resolution)}, and with {@code --guardrails} a last key
   * {@code guardrails}: the merged conf's findings, each {@code {ruleId, severity, policy, path,
   * message}} (an empty list when there are none).
   */
  static Map<String, Object> tree(
      ProxyFile proxy, Resolution resolution, Optional<List<Problem>> guardrailFindings) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("proxy", proxy.proxy().name());
    out.put("mesh", proxy.proxy().mesh());
    out.put("kumaVersion", Integer.parseInt(proxy.context().line().name().substring(1)));
    List<Object> applied = new ArrayList<>();
    resolution.applied().forEach(a -> applied.add(applied(a)));
    out.put("applied", applied);
    out.put("merged", resolution.merged().map(ResolveOutput::merged).orElse(null));
    out.put("effective", resolution.effective().map(ResolveOutput::conf).orElse(null));
    Outcome outcome = resolution.outcome();
    out.put("outcome", outcome.kind().wireName());
    out.put("reason", outcome.reason());
    if (!outcome.problems().isEmpty()) {
      List<Object> problems = new ArrayList<>();
      outcome.problems().forEach(p -> problems.add(problem(p)));
      out.put("problems", problems);
    }
    out.put("warnings", resolution.warningTexts());
    guardrailFindings.ifPresent(
        findings -> {
          List<Object> list = new ArrayList<>();
          for (Problem finding : findings) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("ruleId", finding.ruleId());
            item.put("severity", finding.severity().wireName());
            item.put("policy", finding.policy().orElse(null));
            item.put("path", finding.path().map(Object::toString).orElse(null));
            item.put("message", finding.message());
            list.add(item);
          }
          out.put("guardrails", list);
        });
    return out;
  }

  private static Map<String, Object> applied(AppliedPolicy applied) {
    RankKeys keys = applied.rankKeys();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", applied.name());
    out.put("kind", keys.kind().wireName());
    out.put("origin", keys.origin().orElse(null));
    out.put("role", keys.role());
    out.put("displayName", keys.displayName());
    out.put("why", applied.why());
    Map<String, Object> ranks = new LinkedHashMap<>();
    ranks.put("kind", keys.kindRank());
    ranks.put("dataplaneSpecificity", keys.specificityRank());
    ranks.put("origin", keys.originRank());
    ranks.put("role", keys.roleRank());
    ranks.put("displayName", keys.displayName());
    ranks.put("name", keys.coreName());
    out.put("rankKeys", ranks);
    return out;
  }

  /** The merged conf; each entry also says which policy it comes from and its index there. */
  private static Map<String, Object> merged(MergedConf merged) {
    Map<String, Object> out = new LinkedHashMap<>();
    merged.passthroughMode().ifPresent(m -> out.put("passthroughMode", m.wireName()));
    merged
        .appendMatch()
        .ifPresent(
            entries -> {
              List<Object> list = new ArrayList<>();
              for (AttributedMatch entry : entries) {
                Map<String, Object> item = match(entry.match());
                item.put("policy", entry.policy());
                item.put("index", entry.index());
                list.add(item);
              }
              out.put("appendMatch", list);
            });
    return out;
  }

  private static Map<String, Object> conf(PassthroughConf conf) {
    Map<String, Object> out = new LinkedHashMap<>();
    conf.passthroughMode().ifPresent(m -> out.put("passthroughMode", m.wireName()));
    conf.appendMatch()
        .ifPresent(
            matches -> {
              List<Object> list = new ArrayList<>();
              matches.forEach(m -> list.add(match(m)));
              out.put("appendMatch", list);
            });
    return out;
  }

  private static Map<String, Object> match(Match match) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", match.type().wireName());
    out.put("value", match.destination().value());
    match.port().ifPresent(p -> out.put("port", p.value()));
    out.put("protocol", match.protocol().wireName());
    return out;
  }

  private static Map<String, Object> problem(ResolutionProblem problem) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rule", problem.ruleId());
    out.put("message", problem.message());
    out.put("policies", problem.policies());
    List<Object> entries = new ArrayList<>();
    for (AttributedMatch entry : problem.entries()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("policy", entry.policy());
      item.put("index", entry.index());
      item.put("match", entry.match().toString());
      entries.add(item);
    }
    out.put("entries", entries);
    return out;
  }
}
