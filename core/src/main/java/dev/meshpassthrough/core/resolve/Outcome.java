package dev.meshpassthrough.core.resolve;

import java.util.List;
import java.util.Objects;

/**
 * What a proxy's non-mesh traffic gets once the policies are applied (merge-cases.yaml's {@code
 * outcome}).
 *
 * @param kind the outcome
 * @param reason a sentence saying why, naming the policy that set the mode where one did
 * @param problems the problems of a {@link Kind#TRANSLATION_ERROR}, empty for every other kind
 */
public record Outcome(Kind kind, String reason, List<ResolutionProblem> problems) {

  /**
   * Copies the list and checks that problems come exactly with a translation error.
   *
   * @param kind the outcome, never null
   * @param reason a sentence saying why, never null
   * @param problems the problems, non-empty for a {@link Kind#TRANSLATION_ERROR} and empty for
   *     every other kind; copied
   * @throws NullPointerException when a component or a list element is null
   * @throws IllegalArgumentException when they do not
   */
  public Outcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    problems = List.copyOf(problems);
    if ((kind == Kind.TRANSLATION_ERROR) == problems.isEmpty()) {
      throw new IllegalArgumentException(
          "a translation error, and only a translation error, has problems");
    }
  }

  /**
   * An outcome without problems.
   *
   * @param kind the outcome, never null and not {@link Kind#TRANSLATION_ERROR}
   * @param reason a sentence saying why, never null
   * @return the outcome
   * @throws IllegalArgumentException when {@code kind} is {@link Kind#TRANSLATION_ERROR}, which
   *     needs problems
   */
  public static Outcome of(Kind kind, String reason) {
    return new Outcome(kind, reason, List.of());
  }

  /**
   * A translation error with its problems.
   *
   * @param reason a sentence saying why, never null
   * @param problems the problems the translator reports, at least one; copied
   * @return an outcome of kind {@link Kind#TRANSLATION_ERROR}
   * @throws IllegalArgumentException when {@code problems} is empty
   */
  public static Outcome translationError(String reason, List<ResolutionProblem> problems) {
    return new Outcome(Kind.TRANSLATION_ERROR, reason, problems);
  }

  /** The kinds of outcome. */
  public enum Kind {
    /** The default passthrough stays in place: every non-mesh destination is allowed. */
    ALLOW_ALL("AllowAll"),
    /**
     * No passthrough at all: mode None, Matched without matches, or the Kuma 2.x Mesh switch off.
     */
    BLOCK_ALL("BlockAll"),
    /** Only the effective {@code appendMatch} destinations are allowed. */
    ALLOW_MATCHED_ONLY("AllowMatchedOnly"),
    /**
     * Policies select the proxy but cannot apply to it
     * (docs/selection-and-merge.md#proxies-the-plugin-skips); Kuma warns and changes nothing.
     */
    NOT_APPLIED("NotApplied"),
    /**
     * The merged conf is rejected by the translator
     * (docs/selection-and-merge.md#conflicts-between-policies); Kuma fails the whole proxy.
     */
    TRANSLATION_ERROR("TranslationError");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The spelling in merge-cases.yaml and in the {@code resolve} output, for example {@code
     * AllowAll}.
     *
     * @return the upper camel case name
     */
    public String wireName() {
      return wireName;
    }
  }
}
