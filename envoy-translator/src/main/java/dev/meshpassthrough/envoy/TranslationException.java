package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import java.util.List;

/**
 * The conf of a proxy cannot be translated into configuration Envoy accepts. Each problem names the
 * {@code appendMatch} entries (or the port) at fault; their order is deterministic.
 *
 * <p>{@link #problems()} are errors with a stable rule id starting with {@code translate.} (listed
 * in {@code docs/translation-rules.md}) and, when the problem is about one {@code appendMatch}
 * entry of the effective conf, its path {@code spec.default.appendMatch[i]}. They name no policy:
 * the translator sees the merged conf only, so a caller that knows which policy contributed an
 * entry attributes the problem with {@link Problem#of(String)}.
 */
public final class TranslationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The rule id of problems given as text only, through {@link #TranslationException(List)}. */
  public static final String UNCLASSIFIED_RULE = "translate.unclassified";

  /** Every reason, at least one, each of severity error, in a deterministic order; unmodifiable. */
  // Transient, as InvalidPolicyException's violations: a Problem holds Optionals, which are not
  // serializable, and a serialized exception keeps its message, which joins every problem's.
  private final transient List<Problem> problems;

  /**
   * An exception with at least one message; each becomes an error of rule {@value
   * #UNCLASSIFIED_RULE} without a path. Prefer {@link #of(List)}, which keeps rule ids.
   *
   * @param messages the reasons, at least one; the exception's text joins them with {@code "; "}
   * @throws IllegalArgumentException when {@code messages} is empty
   */
  public TranslationException(List<String> messages) {
    this(messages.stream().map(m -> Problem.of(UNCLASSIFIED_RULE, Severity.ERROR, m)).toList(), "");
  }

  private TranslationException(List<Problem> problems, String unused) {
    super(String.join("; ", requireNonEmpty(problems).stream().map(Problem::message).toList()));
    this.problems = List.copyOf(problems);
  }

  /**
   * An exception with at least one problem; its text joins their messages with {@code "; "}, as
   * Kuma does.
   *
   * @param problems the reasons, at least one, in the order to report them
   * @return the exception
   * @throws IllegalArgumentException when {@code problems} is empty
   */
  public static TranslationException of(List<Problem> problems) {
    return new TranslationException(problems, "");
  }

  /**
   * Every reason, at least one, in a deterministic order.
   *
   * @return the problems, each of severity {@link Severity#ERROR}, on the instance that was thrown
   *     (the field is transient: a deserialized copy keeps only the message)
   */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * The messages of {@link #problems()}, in the same order: Kuma's texts where Kuma has one.
   *
   * @return the messages
   */
  public List<String> messages() {
    return problems.stream().map(Problem::message).toList();
  }

  private static List<Problem> requireNonEmpty(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a translation error needs a message");
    }
    return problems;
  }
}
