package dev.meshpassthrough.cli;

import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.KumaLimitation;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.LoadResult;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a real Envoy did with the connection of {@code explain --envoy real|both}, beside the
 * simulated explanation (the intent, and the simulated decision).
 *
 * @param simulated the simulator's explanation: the intent, the simulated decision and its trace
 * @param binary the Envoy that decided
 * @param decision the real Envoy's decision; {@link Decision.Outcome#LISTENER_REJECTED} when it
 *     rejected the configuration. A real Envoy's decision has no trace.
 * @param mode {@link EnvoyMode#real} or {@link EnvoyMode#both}: whether the simulated decision is
 *     compared too
 */
record RealExplanation(
    Explanation simulated, EnvoyBinary binary, Decision decision, EnvoyMode mode) {

  /**
   * Starts {@code binary} on loopback, loads {@code resources}, runs {@code connection} through it
   * and stops it.
   *
   * @throws dev.meshpassthrough.testkit.envoy.RealEnvoyException when Envoy does not start or
   *     answer
   */
  static RealExplanation run(
      EnvoyBinary binary,
      TranslationResult resources,
      Connection connection,
      Explanation simulated,
      EnvoyMode mode) {
    try (RealEnvoy envoy = RealEnvoy.start(binary)) {
      LoadResult load = envoy.load(resources);
      Decision decision = load.accepted() ? envoy.decide(connection) : rejected(load);
      return new RealExplanation(simulated, binary, decision, mode);
    }
  }

  private static Decision rejected(LoadResult load) {
    return new Decision(
        Decision.Outcome.LISTENER_REJECTED,
        "Envoy rejected the configuration: "
            + PolicyInputs.oneLine(
                String.join(
                    "; ",
                    load.rejections().stream().map(ResourceLint::withoutHarnessFile).toList())),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        List.of());
  }

  /**
   * Every disagreement, in words: the real decision against the intent and, with {@code both}, the
   * simulated decision against the intent and the real one (verdict, outcome, chain, cluster).
   * Empty when everything agrees.
   */
  List<String> disagreements() {
    List<String> out = new ArrayList<>();
    String intent = simulated.intent().verdict().name();
    if (decision.verdict() != simulated.intent().verdict()) {
      out.add("the real Envoy says " + decision.verdict() + ", the intent " + intent);
    }
    if (mode != EnvoyMode.both) {
      return out;
    }
    Decision model = simulated.decision();
    if (!simulated.agrees()) {
      out.add("the simulated Envoy says " + model.verdict() + ", the intent " + intent);
    }
    differ(
        out,
        "verdict",
        Optional.of(model.verdict().name()),
        Optional.of(decision.verdict().name()));
    differ(
        out,
        "outcome",
        Optional.of(model.outcome().name()),
        Optional.of(decision.outcome().name()));
    differ(out, "chain", model.chain(), decision.chain());
    differ(out, "cluster", model.cluster(), decision.cluster());
    return out;
  }

  /** Whether nothing disagrees: the exit status is 0, else 3. */
  boolean agrees() {
    return disagreements().isEmpty();
  }

  /**
   * The known Kuma limitation the simulator found, when the real Envoy did what the simulated one
   * did (same verdict and outcome), so that the limitation explains the real decision too.
   */
  Optional<KumaLimitation> knownLimitation() {
    Decision model = simulated.decision();
    boolean same = model.verdict() == decision.verdict() && model.outcome() == decision.outcome();
    return same ? simulated.knownLimitation() : Optional.empty();
  }

  private static void differ(
      List<String> out, String what, Optional<String> simulated, Optional<String> real) {
    if (!simulated.equals(real)) {
      out.add(
          "the "
              + what
              + " differs: simulated "
              + simulated.orElse("none")
              + ", real "
              + real.orElse("none"));
    }
  }

  /**
   * The {@code Real Envoy} section of the text output: the decision with where it went, and the
   * result. With {@link EnvoyMode#real}, the connection and intent lines come first. Ends with a
   * newline.
   */
  String toText() {
    StringBuilder out = new StringBuilder();
    if (mode == EnvoyMode.real) {
      out.append("connection: ").append(simulated.connection()).append('\n');
      out.append("intent:     ")
          .append(pad(simulated.intent().verdict().name()))
          .append(simulated.intent().reason())
          .append('\n');
    } else {
      out.append('\n');
    }
    out.append("Real Envoy: ")
        .append(binary)
        .append(" (a real Envoy shows what it did, not how: no trace)\n");
    out.append("  envoy:    ")
        .append(pad(decision.verdict().name()))
        .append(decision.reason())
        .append('\n');
    List<String> where = new ArrayList<>();
    decision.listener().ifPresent(v -> where.add("listener " + v));
    decision.chain().ifPresent(v -> where.add("chain " + v));
    decision.virtualHost().ifPresent(v -> where.add("virtual host " + v));
    decision
        .cluster()
        .ifPresent(
            v ->
                where.add(
                    "cluster " + v + decision.clusterType().map(t -> " (" + t + ")").orElse("")));
    decision.httpStatus().ifPresent(s -> where.add("HTTP status " + s));
    if (!where.isEmpty()) {
      out.append("            ").append(String.join(", ", where)).append('\n');
    }
    List<String> disagreements = disagreements();
    out.append("  result:   ");
    if (disagreements.isEmpty()) {
      out.append(mode == EnvoyMode.both ? "AGREE (with the intent and the simulation)" : "AGREE");
    } else {
      out.append("DISAGREE: ")
          .append(String.join("; ", disagreements))
          .append(
              knownLimitation()
                  .map(l -> " (known Kuma limitation " + l.id() + ": " + l.summary() + ")")
                  .orElse(""));
    }
    return out.append('\n').toString();
  }

  private static String pad(String verdict) {
    return String.format(Locale.ROOT, "%-7s", verdict);
  }
}
