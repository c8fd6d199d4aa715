package dev.meshpassthrough.testkit;

import dev.meshpassthrough.testkit.internal.ExplanationText;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection under a policy: what the policy means for it, what Envoy does with it, and, when the
 * two disagree under the {@code kuma} profile, the known Kuma limitation behind it.
 *
 * @param connection the connection
 * @param intent what the policy means for it
 * @param decision what the simulated Envoy does with it
 * @param knownLimitation the Kuma limitation that explains a disagreement, if one does
 */
public record Explanation(
    Connection connection,
    Intent intent,
    Decision decision,
    Optional<KumaLimitation> knownLimitation) {
  /**
   * Checks for null.
   *
   * @param connection the connection, not null
   * @param intent what the policy means for it, not null
   * @param decision what the simulated Envoy does with it, not null
   * @param knownLimitation the Kuma limitation that explains a disagreement, or empty when they
   *     agree or none is recognised; not null
   * @throws NullPointerException when an argument is null
   */
  public Explanation {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(knownLimitation, "knownLimitation");
  }

  /**
   * Whether Envoy does what the policy means: both deny, or both allow and the connection goes
   * where the policy lets it. Under audit mode a flagged decision ({@link Decision#isFlagged()})
   * counts as a denial: it agrees exactly when the intent denies.
   *
   * @return true when the intent's verdict equals the decision's (a late allow counts as an allow)
   *     and, when both allow, the decision's upstream is one of the intent's {@link
   *     Intent#upstreams()} (an unknown upstream, or an intent without upstreams, is not checked)
   */
  public boolean agrees() {
    if (decision.isFlagged()) {
      return intent.verdict() == Verdict.DENY;
    }
    return intent.verdict() == decision.verdict()
        && (!decision.isAllowed() || intent.accepts(decision.upstream()));
  }

  /**
   * Whether the verdicts agree, whatever the upstream.
   *
   * @return true when the intent's verdict equals the decision's {@link
   *     Decision#verdictUnderEnforcement()}
   */
  public boolean verdictsAgree() {
    return intent.verdict() == decision.verdictUnderEnforcement();
  }

  /**
   * A readable report: the connection, the intent, Envoy's decision with listener, chain, virtual
   * host and cluster, whether they agree (and the known limitation), then the trace as a tree. Ends
   * with a newline.
   *
   * @return the multi-line report, never null
   */
  public String toText() {
    return ExplanationText.render(this);
  }
}
