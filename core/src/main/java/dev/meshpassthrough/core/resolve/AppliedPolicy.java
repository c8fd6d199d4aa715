package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import java.util.Objects;

/**
 * A policy that selects the proxy, with why it does and the keys that placed it in the precedence
 * list.
 *
 * @param policy the policy
 * @param why a sentence on how it selects the proxy, for example {@code kind Dataplane: the proxy
 *     has app=web}
 * @param rankKeys its precedence keys
 */
public record AppliedPolicy(MeshPassthroughPolicy policy, String why, RankKeys rankKeys) {
  /**
   * Checks for null.
   *
   * @param policy the policy, never null
   * @param why a sentence on how it selects the proxy, never null
   * @param rankKeys its precedence keys, never null
   * @throws NullPointerException when a component is null
   */
  public AppliedPolicy {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(rankKeys, "rankKeys");
  }

  /**
   * The policy's core name.
   *
   * @return {@code policy().metadata().name()}, the name problems and attributions use
   */
  public String name() {
    return policy.metadata().name();
  }
}
