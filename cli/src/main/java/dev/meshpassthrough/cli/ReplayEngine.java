package dev.meshpassthrough.cli;

import dev.meshpassthrough.testkit.Explanation;
import dev.meshpassthrough.testkit.PolicySimulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides observed connections under one policy simulation, each distinct {@link ConnectionClass}
 * once: the first line of a class asks the simulation to explain it (the intent, Envoy's simulated
 * decision, whether they agree); every later line of that class only counts.
 *
 * <p>Not thread-safe: one engine tallies one replay. The {@link PolicySimulation} may be shared.
 */
public final class ReplayEngine {
  private final PolicySimulation simulation;
  private final Map<ConnectionClass, Tally> classes = new HashMap<>();
  private long connections;

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
   * @return the explanation of its class, never null
   */
  public Explanation accept(ConnectionClass connection) {
    connections++;
    Tally tally = classes.get(connection);
    if (tally == null) {
      tally = new Tally(connection, simulation.explain(connection.connection()));
      classes.put(connection, tally);
    }
    tally.count++;
    return tally.explanation;
  }

  /**
   * How many times the simulation was asked: the number of distinct classes seen.
   *
   * @return the number of decisions taken, never more than {@link #connections()}
   */
  public int decisions() {
    return classes.size();
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
      results.add(new ClassResult(tally.connection, tally.count, tally.explanation));
    }
    return results;
  }

  /**
   * One class of the replay.
   *
   * @param connection the class
   * @param count how many lines gave it
   * @param explanation its intent and Envoy's decision
   */
  record ClassResult(ConnectionClass connection, long count, Explanation explanation) {}

  private static final class Tally {
    private final ConnectionClass connection;
    private final Explanation explanation;
    private long count;

    Tally(ConnectionClass connection, Explanation explanation) {
      this.connection = connection;
      this.explanation = explanation;
    }
  }
}
