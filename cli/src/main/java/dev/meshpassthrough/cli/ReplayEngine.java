package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.KumaLimitation;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides observed connections under one policy simulation, each distinct {@link ConnectionClass}
 * once: the first line of a class asks the simulation to explain it (the intent, Envoy's simulated
 * decision, whether they agree); every later line of that class only counts.
 *
 * <p>Of each explanation only what the report needs is kept (verdicts, agreement, covering
 * entries), not Envoy's trace, so that a log of many distinct destinations does not hold a trace
 * per class. Not thread-safe: one engine tallies one replay. The {@link PolicySimulation} may be
 * shared.
 */
public final class ReplayEngine {
  private final PolicySimulation simulation;
  private final Map<ConnectionClass, Tally> classes = new HashMap<>();
  private long connections;
  private int decisions;

  private ReplayEngine(PolicySimulation simulation) {
    this.simulation = Objects.requireNonNull(simulation, "simulation");
  }

  /**
   * An engine with an empty cache.
   *
   * @param simulation the policy and its Envoy configuration, built as {@code explain} builds it;
   *     not null
   * @return a new engine, never null
   */
  public static ReplayEngine of(PolicySimulation simulation) {
    return new ReplayEngine(simulation);
  }

  /**
   * Counts one observed connection, deciding its class if it is the first of its class.
   *
   * @param connection the connection's class, not null
   */
  public void accept(ConnectionClass connection) {
    connections++;
    Tally tally = classes.get(connection);
    if (tally == null) {
      decisions++;
      tally = new Tally(connection, ClassDecision.of(simulation.explain(connection.connection())));
      classes.put(connection, tally);
    }
    tally.count++;
  }

  /**
   * How many times the simulation was asked: the number of distinct classes seen.
   *
   * @return the number of decisions taken, never more than {@link #connections()}
   */
  public int decisions() {
    return decisions;
  }

  /**
   * How many connections were counted.
   *
   * @return the number of {@link #accept} calls
   */
  public long connections() {
    return connections;
  }

  /** Every class with its count and explanation, in no particular order. */
  List<ClassResult> results() {
    List<ClassResult> results = new ArrayList<>(classes.size());
    for (Tally tally : classes.values()) {
      results.add(new ClassResult(tally.connection, tally.count, tally.decision));
    }
    return results;
  }

  /**
   * One class of the replay.
   *
   * @param connection the class
   * @param count how many lines gave it
   * @param decision its intent and Envoy's decision
   */
  record ClassResult(ConnectionClass connection, long count, ClassDecision decision) {}

  /**
   * What the report needs of an {@link Explanation}.
   *
   * @param envoy Envoy's verdict
   * @param outcome how Envoy ended the connection
   * @param intent the policy's verdict
   * @param agrees whether they agree ({@link Explanation#agrees()})
   * @param knownLimitation the id of the Kuma limitation behind a disagreement, if one is known
   * @param coveringEntries the indexes of the entries that cover the connection, ascending
   * @param coveredBy those entries, in the same order
   */
  record ClassDecision(
      Verdict envoy,
      Decision.Outcome outcome,
      Verdict intent,
      boolean agrees,
      Optional<String> knownLimitation,
      List<Integer> coveringEntries,
      List<Match> coveredBy) {
    static ClassDecision of(Explanation e) {
      return new ClassDecision(
          e.decision().verdict(),
          e.decision().outcome(),
          e.intent().verdict(),
          e.agrees(),
          e.knownLimitation().map(KumaLimitation::id),
          e.intent().coveringEntries(),
          e.intent().coveredBy());
    }
  }

  private static final class Tally {
    private final ConnectionClass connection;
    private final ClassDecision decision;
    private long count;

    Tally(ConnectionClass connection, ClassDecision decision) {
      this.connection = connection;
      this.decision = decision;
    }
  }
}
