package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.envoy.TranslationException;
import java.util.List;

/**
 * The rule ids of every problem a translation reports, and the problems themselves. Ids are stable
 * (users and tests key on them); the table in {@code docs/translation-rules.md} lists each with its
 * severity and meaning. Translation problems name no policy: the translator sees the merged conf.
 */
public final class TranslationRules {
  /** Error: more than one of http, http2 and grpc on one port (Kuma's message). */
  public static final String PORT_LAYER7_CONFLICT = "translate.port.layer7-conflict";

  /** Error: two chains of one listener get the same name. */
  public static final String CHAIN_DUPLICATE_NAME = "translate.chain.duplicate-name";

  /** Error: two chains of one listener get the same match. */
  public static final String CHAIN_DUPLICATE_MATCH = "translate.chain.duplicate-match";

  /** Error: one listener would need more filter chains than the translator builds. */
  public static final String LISTENER_TOO_MANY_CHAINS = "translate.listener.too-many-chains";

  /**
   * Error: one listener's filter-chain matcher would need more list entries than the translator
   * builds.
   */
  public static final String LISTENER_TOO_MANY_MATCHER_ENTRIES =
      "translate.listener.too-many-matcher-entries";

  /** Error: the output would be larger than {@code maxOutputBytes}. */
  public static final String OUTPUT_TOO_LARGE = "translate.output.too-large";

  /** Note: the policy does not apply to the proxy; its resources come back unchanged. */
  public static final String PROXY_NOT_APPLICABLE = "translate.proxy.not-applicable";

  /** Warning: passthroughMode All ignores the appendMatch entries. */
  public static final String MODE_ALL_IGNORES_MATCHES = "translate.mode.all-ignores-matches";

  /** Warning: passthroughMode None ignores the appendMatch entries. */
  public static final String MODE_NONE_IGNORES_MATCHES = "translate.mode.none-ignores-matches";

  /**
   * Note: passthroughMode Matched without entries leaves the listeners as they are (kuma profile).
   */
  public static final String MODE_MATCHED_WITHOUT_MATCHES =
      "translate.mode.matched-without-matches";

  /**
   * Warning: the proxy lacks the passthrough listener of a family some entries need (kuma profile).
   */
  public static final String LISTENER_MISSING = "translate.listener.missing";

  /** Warning: a cluster of the proxy was replaced by the policy's cluster of the same name. */
  public static final String CLUSTER_REPLACED = "translate.cluster.replaced";

  /**
   * Warning: a listener still sends traffic to a default cluster the mode removed (kuma profile).
   */
  public static final String CLUSTER_REMOVED_STILL_USED = "translate.cluster.removed-still-used";

  /**
   * Warning: Kuma 3.x ignored an entry, or its copy onto a port: it conflicts with an earlier
   * entry, or is a domain without a port. The message is Kuma's warning, verbatim.
   */
  public static final String MATCH_IGNORED = "translate.match.ignored";

  /**
   * Warning: ports are not handed off, so server-first traffic waits for the inspectors' timeout.
   */
  public static final String HANDOFF_WITHHELD = "translate.handoff.withheld";

  /**
   * Note (domain pinning dns) or warning (dynamic): a Domain entry's traffic is not pinned and goes
   * to the address the client dialed.
   */
  public static final String PINNING_NOT_PINNED = "translate.pinning.not-pinned";

  private static final FieldPath APPEND_MATCH = FieldPath.of("spec", "default", "appendMatch");

  private TranslationRules() {}

  /**
   * An error about the conf as a whole.
   *
   * @param ruleId the rule
   * @param message the text
   * @return the problem
   */
  public static Problem error(String ruleId, String message) {
    return Problem.of(ruleId, Severity.ERROR, message);
  }

  /**
   * An error about one {@code appendMatch} entry of the effective conf.
   *
   * @param ruleId the rule
   * @param message the text
   * @param entry the entry's index
   * @return the problem, at {@code spec.default.appendMatch[entry]}
   */
  public static Problem error(String ruleId, String message, int entry) {
    return error(ruleId, message).at(appendMatch(entry));
  }

  /**
   * The path of one {@code appendMatch} entry of the effective conf.
   *
   * @param entry the entry's index
   * @return {@code spec.default.appendMatch[entry]}
   */
  public static FieldPath appendMatch(int entry) {
    return APPEND_MATCH.index(entry);
  }

  /**
   * The warning that mode {@code None} ignores the conf's entries, which both profiles give.
   *
   * @param entries how many {@code appendMatch} entries the conf has, more than 0
   * @return the warning of {@link #MODE_NONE_IGNORES_MATCHES}
   */
  public static Problem modeNoneIgnoresMatches(int entries) {
    return warning(
        MODE_NONE_IGNORES_MATCHES,
        "passthroughMode None: no destination passes, the "
            + entries
            + " appendMatch entries are ignored");
  }

  /**
   * A warning: the translation went on, but something deserves attention.
   *
   * @param ruleId the rule
   * @param message the text
   * @return the problem
   */
  public static Problem warning(String ruleId, String message) {
    return Problem.of(ruleId, Severity.WARNING, message);
  }

  /**
   * A note on what the translation did.
   *
   * @param ruleId the rule
   * @param message the text
   * @return the problem
   */
  public static Problem note(String ruleId, String message) {
    return Problem.of(ruleId, Severity.NOTE, message);
  }

  /**
   * The exception of one error.
   *
   * @param problem the error
   * @return the exception to throw
   */
  public static TranslationException refuse(Problem problem) {
    return TranslationException.of(List.of(problem));
  }
}
