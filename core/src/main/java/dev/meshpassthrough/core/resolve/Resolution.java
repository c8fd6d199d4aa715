package dev.meshpassthrough.core.resolve;

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
 * @param effective the conf after defaults ({@code passthroughMode} {@code Matched} when unset), the
 *     translator's input; present when the plugin runs: some policy applies and the proxy can take it
 * @param outcome what non-mesh traffic gets
 * @param warnings what Kuma would warn about (a stored legacy kind, a proxy the policy cannot apply
 *     to) and what meshpassthrough adds, in a deterministic order; meshpassthrough's own that have a
 *     rule id start with the field path and end with the id in brackets ({@code
 *     spec.default.passthroughMode: ... [resolve.mode.name-order]})
 */
public record Resolution(
    List<AppliedPolicy> applied,
    Optional<MergedConf> merged,
    Optional<PassthroughConf> effective,
    Outcome outcome,
    List<String> warnings) {

  /** Copies the lists and checks that a merged conf comes exactly with applied policies. */
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

  /** The core names of {@link #applied()}, weakest first. */
  public List<String> appliedNames() {
    return applied.stream().map(AppliedPolicy::name).toList();
  }

  /** The strongest applied policy that sets {@code passthroughMode}, if any. */
  public Optional<AppliedPolicy> modeSource() {
    for (int i = applied.size() - 1; i >= 0; i--) {
      if (applied.get(i).policy().conf().passthroughMode().isPresent()) {
        return Optional.of(applied.get(i));
      }
    }
    return Optional.empty();
  }
}
