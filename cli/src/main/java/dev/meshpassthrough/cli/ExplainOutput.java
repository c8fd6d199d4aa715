package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.KumaLimitation;
import dev.meshpassthrough.testkit.TraceStep;
import dev.meshpassthrough.testkit.Upstream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The structured form of an explanation, for {@code --output json} (and yaml):
 *
 * <pre>{@code
 * {"connection": "...", "intent": "ALLOW", "intentReason": "...", "coveringEntries": [0],
 *  "intentUpstreams": [{"kind": "DNS_NAME", "host": "api.example.com", "port": 443}],
 *  "envoy": {"decision": "DENY", "outcome": "NO_FILTER_CHAIN", "listener": ..., "chain": ...,
 *            "virtualHost": ..., "cluster": ..., "clusterType": ..., "httpStatus": ...,
 *            "upstream": {"kind": ..., "host": ..., "port": ...}, "reason": ...},
 *  "agree": false, "knownLimitation": {"id": ..., "summary": ...},
 *  "trace": [{"stage": "LISTENER", "depth": 0, "message": ...}]}
 * }</pre>
 *
 * <p>Absent values are {@code null}; keys always appear, in this order. With {@code --envoy real}
 * or {@code both}, {@code "realEnvoy"} (the real Envoy's decision, with the fields of {@code
 * "envoy"}), {@code "realEnvoyVersion"} and {@code "disagreements"} (a list of sentences, empty
 * when everything agrees) follow {@code "envoy"}, and {@code "agree"} is true only when nothing
 * disagrees. With {@code real}, {@code "envoy"} is null and {@code "trace"} is empty: a real Envoy
 * has no trace.
 */
final class ExplainOutput {
  private ExplainOutput() {}

  static Map<String, @Nullable Object> tree(Explanation explanation) {
    return tree(explanation, Optional.empty());
  }

  /**
   * The tree of {@code explanation} and, with {@code --envoy real|both}, of the real Envoy's
   * decision.
   */
  static Map<String, @Nullable Object> tree(
      Explanation explanation, Optional<RealExplanation> real) {
    boolean simulated = real.isEmpty() || real.get().mode() == EnvoyMode.both;
    Map<String, @Nullable Object> root = new LinkedHashMap<>();
    root.put("connection", explanation.connection().toString());
    root.put("intent", explanation.intent().verdict().name());
    root.put("intentReason", explanation.intent().reason());
    root.put("coveringEntries", explanation.intent().coveringEntries());
    root.put(
        "intentUpstreams",
        explanation.intent().upstreams().stream().map(ExplainOutput::upstream).toList());
    root.put("envoy", simulated ? envoy(explanation.decision()) : null);
    if (real.isPresent()) {
      root.put("realEnvoy", envoy(real.get().decision()));
      root.put("realEnvoyVersion", real.get().binary().version());
      root.put("disagreements", real.get().disagreements());
      root.put("agree", real.get().agrees());
      root.put(
          "knownLimitation",
          real.get().knownLimitation().<Object>map(ExplainOutput::limitation).orElse(null));
    } else {
      root.put("agree", explanation.agrees());
      root.put(
          "knownLimitation",
          explanation.knownLimitation().<Object>map(ExplainOutput::limitation).orElse(null));
    }
    List<Object> trace = new ArrayList<>();
    for (TraceStep step : simulated ? explanation.decision().trace() : List.<TraceStep>of()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("stage", step.stage().name());
      item.put("depth", step.depth());
      item.put("message", step.message());
      trace.add(item);
    }
    root.put("trace", trace);
    return root;
  }

  private static Map<String, @Nullable Object> envoy(Decision decision) {
    Map<String, @Nullable Object> envoy = new LinkedHashMap<>();
    envoy.put("decision", decision.verdict().name());
    envoy.put("outcome", decision.outcome().name());
    envoy.put("listener", orNull(decision.listener()));
    envoy.put("chain", orNull(decision.chain()));
    envoy.put("virtualHost", orNull(decision.virtualHost()));
    envoy.put("cluster", orNull(decision.cluster()));
    envoy.put("clusterType", orNull(decision.clusterType()));
    envoy.put(
        "httpStatus", decision.httpStatus().isPresent() ? decision.httpStatus().getAsInt() : null);
    envoy.put("upstream", decision.upstream().<Object>map(ExplainOutput::upstream).orElse(null));
    envoy.put("reason", decision.reason());
    return envoy;
  }

  private static Map<String, Object> upstream(Upstream upstream) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("kind", upstream.kind().name());
    item.put("host", upstream.host());
    item.put("port", upstream.port());
    return item;
  }

  private static Map<String, Object> limitation(KumaLimitation limitation) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", limitation.id());
    item.put("summary", limitation.summary());
    return item;
  }

  private static @Nullable Object orNull(Optional<String> value) {
    return value.orElse(null);
  }
}
