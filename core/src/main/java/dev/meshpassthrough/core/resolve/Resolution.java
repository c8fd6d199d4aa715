package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.PassthroughConf;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies that apply to one proxy and what they add up to.
 *
 * <p>Immutable; equal inputs give equal resolutions, whatever the order of the policies.
 *
 * @param applied the selecting policies in precedence order, weakest first, strongest last
 * @param merged the merged conf before defaults, present exactly when some policy applies
 * @param effective the conf after defaults ({@code passthroughMode} {@code Matched} when unset),
 *     the translator's input; present when the plugin runs: some policy applies and the proxy can
 *     take it
 * @param outcome what non-mesh traffic gets
 * @param warnings what Kuma would warn about (a stored legacy kind, a proxy the policy cannot apply
 *     to) and what meshpassthrough adds, each with a stable rule id (Kuma's own start with {@code
 *     kuma.}; docs/selection-and-merge.md#resolution-warnings lists them), severity {@link
 *     Severity#WARNING}, the policy it concerns and the field, when there is one; ordered by {@link
 *     #warningText(Problem)}
 */
public record Resolution(
    List<AppliedPolicy> applied,
    Optional<MergedConf> merged,
    Optional<PassthroughConf> effective,
    Outcome outcome,
    List<Problem> warnings) {

  /**
   * Copies the lists and checks that a merged conf comes exactly with applied policies.
   *
   * @param applied the selecting policies, weakest first; copied
   * @param merged the merged conf, present exactly when {@code applied} is not empty
   * @param effective the conf after defaults, or empty; present only with {@code merged}
   * @param outcome what non-mesh traffic gets, never null
   * @param warnings the warnings, in the order they are to be shown; copied
   * @throws NullPointerException when a component or a list element is null
   * @throws IllegalArgumentException when {@code merged} is present without applied policies or
   *     absent with them, or {@code effective} is present without {@code merged}
   */
  public Resolution {
    applied = List.copyOf(applied);
    Objects.requireNonNull(merged, "merged");
    Objects.requireNonNull(effective, "effective");
    Objects.requireNonNull(outcome, "outcome");
    warnings = List.copyOf(warnings);
    if (applied.isEmpty() == merged.isPresent()) {
      throw new IllegalArgumentException("a merged conf comes exactly with applied policies");
    }
    if (effective.isPresent() && merged.isEmpty()) {
      throw new IllegalArgumentException("an effective conf needs a merged conf");
    }
  }

  /**
   * The warnings in the text the CLI prints after {@code warning: }, in order; see {@link
   * #warningText(Problem)}.
   *
   * @return one line per warning
   */
  public List<String> warningTexts() {
    return warnings.stream().map(Resolution::warningText).toList();
  }

  /**
   * One warning in the text of the CLI and of earlier versions' {@code List<String>} warnings, byte
   * for byte: Kuma's own ({@code kuma.} rule ids) as Kuma words them; one said of a policy as
   * {@code policy <name>: <message>}; one said of a field of the merged conf as {@code <path>:
   * <message> [<rule id>]}; any other as its message. {@link Problem#toString()} is the structured
   * rendering instead.
   *
   * @param warning a warning of a resolution
   * @return its line of text
   */
  public static String warningText(Problem warning) {
    if (warning.ruleId().startsWith("kuma.")) {
      return warning.message();
    }
    if (warning.policy().isPresent()) {
      return "policy " + warning.policy().get() + ": " + warning.message();
    }
    if (warning.path().isPresent()) {
      return warning.path().get() + ": " + warning.message() + " [" + warning.ruleId() + "]";
    }
    return warning.message();
  }

  /**
   * The core names of {@link #applied()}, weakest first.
   *
   * @return an unmodifiable list, one name per applied policy, empty when none applies
   */
  public List<String> appliedNames() {
    return applied.stream().map(AppliedPolicy::name).toList();
  }

  /**
   * The strongest applied policy that sets {@code passthroughMode}, if any.
   *
   * @return the last policy of {@link #applied()} whose conf sets a mode; empty when none does and
   *     the mode is Kuma's default
   */
  public Optional<AppliedPolicy> modeSource() {
    for (int i = applied.size() - 1; i >= 0; i--) {
      if (applied.get(i).policy().conf().passthroughMode().isPresent()) {
        return Optional.of(applied.get(i));
      }
    }
    return Optional.empty();
  }
}
