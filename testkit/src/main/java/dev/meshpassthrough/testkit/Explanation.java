package dev.meshpassthrough.testkit;

import dev.meshpassthrough.testkit.internal.ExplanationText;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection under a policy: what the policy means for it, what Envoy does with it, and, when
 * the two disagree under the {@code kuma} profile, the known Kuma limitation behind it.
 *
 * @param connection the connection
 * @param intent what the policy means for it
 * @param decision what the simulated Envoy does with it
 * @param knownLimitation the Kuma limitation that explains a disagreement, if one does
 */
public record Explanation(Connection connection, Intent intent, Decision decision, Optional<KumaLimitation> knownLimitation) {
  /** Checks for null. */
  public Explanation {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(knownLimitation, "knownLimitation");
  }

  /** Whether Envoy does what the policy means: both allow, or both deny. */
  public boolean agrees() {
    return intent.verdict() == decision.verdict();
  }

  /**
   * A readable report: the connection, the intent, Envoy's decision with listener, chain, virtual
   * host and cluster, whether they agree (and the known limitation), then the trace as a tree.
   * Ends with a newline.
   */
  public String toText() {
    return ExplanationText.render(this);
  }
}
