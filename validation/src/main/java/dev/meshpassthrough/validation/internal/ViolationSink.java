package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.resolve.MatchConflicts;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects violations; {@link #sorted()} orders them by the element they concern and, within one
 * element, keeps the order in which the rules reported them (Kuma's check order first).
 */
final class ViolationSink {
  private static final FieldPath APPEND_MATCH = Paths.APPEND_MATCH;

  /**
   * Rules reported as warnings at {@link dev.meshpassthrough.validation.ValidationLevel#LENIENT}.
   */
  static final Set<String> LENIENT_RULES =
      Set.of(
          KumaMatchRules.SAME_PORT_PROTOCOL,
          KumaMatchRules.DUPLICATE,
          KumaMatchRules.WILDCARD_L7_ALL_PORTS,
          // Kuma 3.x's generator drops such a domain with a warning.
          KumaMatchRules.DOMAIN_PORT,
          CrossMatchRules.L7_CLASH,
          CrossMatchRules.DUPLICATE,
          CrossMatchRules.KUMA3_CONFLICT,
          MatchConflicts.SAME_PORT_LAYER7,
          MatchConflicts.SAME_CHAIN_MATCH);

  private final List<Violation> violations = new ArrayList<>();
  // Each violation's path and all its parents: the questions below are asked once per entry, and
  // scanning every violation instead made a list of 100,000 bad entries take minutes.
  private final Set<FieldPath> errorsUnder = new HashSet<>();
  private final Map<FieldPath, Set<String>> rulesUnder = new HashMap<>();
  private final ValidationLevel level;

  ViolationSink(ValidationLevel level) {
    this.level = level;
  }

  void add(Violation violation) {
    violations.add(violation);
    FieldPath path = violation.path();
    while (true) {
      if (violation.isError()) {
        errorsUnder.add(path);
      }
      rulesUnder.computeIfAbsent(path, p -> new HashSet<>()).add(violation.ruleId());
      if (path.isRoot()) {
        return;
      }
      path = path.parent();
    }
  }

  void error(FieldPath path, String ruleId, String message) {
    if (level == ValidationLevel.LENIENT && LENIENT_RULES.contains(ruleId)) {
      add(Violation.warning(path, ruleId, message));
    } else {
      add(Violation.error(path, ruleId, message));
    }
  }

  void warning(FieldPath path, String ruleId, String message) {
    add(Violation.warning(path, ruleId, message));
  }

  /** Whether any error was reported at or below {@code path}. */
  boolean hasErrorUnder(FieldPath path) {
    return errorsUnder.contains(path);
  }

  /** Whether a violation of {@code ruleId} was reported at or below {@code path}. */
  boolean hasRuleUnder(FieldPath path, String ruleId) {
    return rulesUnder.getOrDefault(path, Set.of()).contains(ruleId);
  }

  boolean hasErrors() {
    return errorsUnder.contains(FieldPath.root());
  }

  /** The violations by element, stable within an element. */
  List<Violation> sorted() {
    List<Violation> out = new ArrayList<>(violations);
    out.sort(Comparator.comparing((Violation v) -> element(v.path())));
    return out;
  }

  /**
   * {@code spec.default.appendMatch[i]} for paths below an entry, else the parent object of the
   * field.
   */
  private static FieldPath element(FieldPath path) {
    FieldPath current = path;
    while (!current.isRoot()) {
      if (current.parent().equals(APPEND_MATCH)) {
        return current;
      }
      current = current.parent();
    }
    return path.parent();
  }
}
