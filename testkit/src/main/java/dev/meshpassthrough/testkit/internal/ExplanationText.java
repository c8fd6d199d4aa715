package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.TraceStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders explanations and decisions as readable text: a summary, then the trace as an indented
 * tree.
 */
public final class ExplanationText {
  private ExplanationText() {}

  /** See {@link Explanation#toText()}. */
  public static String render(Explanation explanation) {
    StringBuilder out = new StringBuilder();
    out.append("connection: ").append(explanation.connection()).append('\n');
    out.append("intent:     ")
        .append(pad(explanation.intent().verdict().toString()))
        .append(explanation.intent().reason())
        .append('\n');
    if (!explanation.intent().upstreams().isEmpty()) {
      out.append("            may go to ")
          .append(
              String.join(
                  " or ", explanation.intent().upstreams().stream().map(Object::toString).toList()))
          .append('\n');
    }
    appendDecision(out, explanation.decision());
    out.append("result:     ");
    if (explanation.agrees()) {
      out.append("AGREE\n");
    } else {
      out.append(
              explanation.verdictsAgree()
                  ? "DISAGREE (upstream not one the policy allows)"
                  : "DISAGREE")
          .append(
              explanation
                  .knownLimitation()
                  .map(l -> " (known Kuma limitation " + l.id() + ": " + l.summary() + ")")
                  .orElse(""))
          .append('\n');
    }
    appendTrace(out, explanation.decision());
    return out.toString();
  }

  /** The decision alone, with its trace; ends with a newline. */
  public static String render(Decision decision) {
    StringBuilder out = new StringBuilder();
    appendDecision(out, decision);
    appendTrace(out, decision);
    return out.toString();
  }

  private static void appendDecision(StringBuilder out, Decision decision) {
    out.append("envoy:      ")
        .append(pad(decision.verdict().toString()))
        .append(decision.reason())
        .append('\n');
    List<String> where = new ArrayList<>();
    add(where, "listener", decision.listener());
    add(where, "chain", decision.chain());
    add(where, "virtual host", decision.virtualHost());
    add(
        where,
        "cluster",
        decision
            .cluster()
            .map(c -> c + decision.clusterType().map(t -> " (" + t + ")").orElse("")));
    decision.upstream().ifPresent(u -> where.add("upstream " + u));
    if (!where.isEmpty()) {
      out.append("            ").append(String.join(", ", where)).append('\n');
    }
  }

  private static void appendTrace(StringBuilder out, Decision decision) {
    out.append("trace:\n");
    for (TraceStep step : decision.trace()) {
      out.append("  ").append(step).append('\n');
    }
  }

  private static void add(List<String> where, String what, Optional<String> value) {
    value.ifPresent(v -> where.add(what + " " + v));
  }

  private static String pad(String verdict) {
    return String.format("%-7s", verdict);
  }
}
