package dev.meshpassthrough.validation.guardrails;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.LocatedTree;
import dev.meshpassthrough.core.resolve.MergedConf;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.validation.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An operator's guardrails for MeshPassthrough, read from a {@code kind: MeshPassthroughGuardrails}
 * file: rules that policies must respect beyond Kuma's validation, checked on each policy ({@link
 * #check(MeshPassthroughPolicy)}) and on the merged conf of each proxy ({@link
 * #checkMerged(MergedConf)}), so that two policies cannot add up to what neither may do alone.
 *
 * <p>Findings are {@link Violation}s (per policy) and {@link Problem}s (per proxy) of rule ids
 * {@code guardrail.*}, with the severity the file gives the rule ({@code error} unless it says
 * {@code warning}); the rules {@code guardrail.network.everything} ({@code 0.0.0.0/0}, {@code
 * ::/0}, or entries reaching as much together) and {@code guardrail.domain.public-suffix} (a
 * wildcard of a suffix on Guava's public suffix list, ICANN and private sections alike: {@code
 * *.com}, {@code *.co.uk}, {@code *.github.io}) always apply, as errors. A rule the file leaves out
 * is off.
 *
 * <p>Immutable and thread-safe; checks are pure functions of the guardrails and their argument.
 *
 * <pre>{@code
 * Guardrails guardrails = Guardrails.read(Path.of("guardrails.yaml")).orElseThrow();
 * List<Violation> findings = guardrails.check(policy);
 * }</pre>
 */
public final class Guardrails {
  private static final Guardrails NONE = new Guardrails(GuardrailsReader.empty(), "<none>");

  private final Rules rules;
  private final String source;

  private Guardrails(Rules rules, String source) {
    this.rules = rules;
    this.source = source;
  }

  /**
   * Guardrails without a file: only the rules that always apply.
   *
   * @return the shared guardrails with every optional rule off
   */
  public static Guardrails none() {
    return NONE;
  }

  /**
   * Reads a guardrails file from text, with {@link ParseLimits#defaults()}.
   *
   * @param text the YAML (or JSON) text, never null
   * @param sourceName the name problems' locations carry, never null
   * @return the guardrails, or every problem of the text located; never throws for bad input
   */
  public static Parsed parse(String text, String sourceName) {
    Objects.requireNonNull(sourceName, "sourceName");
    return bind(LocatedTree.read(text, sourceName, ParseLimits.defaults()), sourceName);
  }

  /**
   * Reads a guardrails file, no further than {@link ParseLimits#defaults()}'s input size.
   *
   * @param file the file, never null
   * @return the guardrails, or the problems (an unreadable file is one problem at line 1)
   */
  public static Parsed read(Path file) {
    return bind(LocatedTree.read(file, ParseLimits.defaults()), file.toString());
  }

  private static Parsed bind(LocatedTree.Read read, String source) {
    if (read.problem().isPresent()) {
      return new Parsed(Optional.empty(), List.of(read.problem().get()));
    }
    GuardrailsReader reader = new GuardrailsReader();
    Rules rules = reader.read(read.root().orElseThrow());
    if (!reader.problems().isEmpty()) {
      return new Parsed(Optional.empty(), reader.problems());
    }
    return new Parsed(Optional.of(new Guardrails(rules, source)), List.of());
  }

  /**
   * The name of the source the guardrails were read from.
   *
   * @return the file's path or the source name given, {@code <none>} for {@link #none()}
   */
  public String source() {
    return source;
  }

  /**
   * The findings on one policy: its passthroughMode, each appendMatch entry (network width,
   * forbidden networks, domain suffixes and ports, protocols), entries of it that reach a network
   * too wide only together, its number of entries, and how its targetRef selects proxies.
   *
   * @param policy a valid policy, never null
   * @return the violations, sorted by field path; empty when the policy respects every rule
   */
  public List<Violation> check(MeshPassthroughPolicy policy) {
    return PolicyChecks.check(rules, policy);
  }

  /**
   * The findings on the merged conf of one proxy that the per-policy check cannot see: entries of
   * several policies that together reach a network too wide (or every address), and more entries
   * than a proxy may have. Each problem names the policy and field ({@code
   * spec.default.appendMatch[i]}) of the first entry concerned; its message names every entry and
   * policy.
   *
   * @param merged the merged conf, each entry with its policy and index, never null
   * @return the problems, in a deterministic order; empty when the merge respects every rule
   */
  public List<Problem> checkMerged(MergedConf merged) {
    return MergedChecks.check(rules, merged);
  }

  /**
   * {@link #checkMerged(MergedConf)} on a proxy's resolution.
   *
   * @param resolution the policies that apply to the proxy and their merge, never null
   * @return the problems; empty when no policy applies
   */
  public List<Problem> checkMerged(Resolution resolution) {
    return resolution.merged().map(this::checkMerged).orElse(List.of());
  }

  /**
   * The labels through which a targetRef selects proxies, when it selects them only through labels
   * a service owner can set: a {@code Dataplane} targetRef's {@code labels} or a {@code MeshSubset}
   * targetRef's inbound {@code tags}, none of them in the file's {@code selection.trustedLabels}.
   * Empty for the whole mesh, an empty selector, a Dataplane named by {@code name}, or a selector
   * with at least one trusted label.
   *
   * @param targetRef the policy's top-level targetRef, never null
   * @return the untrusted selector, sorted by key, or empty
   */
  public Optional<SortedMap<String, String>> untrustedSelection(TargetRef targetRef) {
    return PolicyChecks.untrusted(rules, targetRef);
  }

  @Override
  public String toString() {
    return "Guardrails[" + source + "]";
  }

  /**
   * What reading a guardrails file gave: the guardrails, or the problems.
   *
   * @param guardrails the guardrails, present exactly when there is no problem
   * @param problems every problem, each with its line, column and field path
   */
  public record Parsed(Optional<Guardrails> guardrails, List<ParseProblem> problems) {

    /**
     * Copies the list.
     *
     * @param guardrails the guardrails, or empty, never null
     * @param problems the problems, copied, never null
     */
    public Parsed {
      Objects.requireNonNull(guardrails, "guardrails");
      problems = List.copyOf(problems);
    }

    /**
     * The guardrails, or an exception listing every problem.
     *
     * @return the guardrails
     * @throws IllegalArgumentException when the file has problems, one per line of its message
     */
    public Guardrails orElseThrow() {
      return guardrails.orElseThrow(
          () ->
              new IllegalArgumentException(
                  "invalid guardrails:\n"
                      + String.join("\n", problems.stream().map(ParseProblem::toString).toList())));
    }
  }
}
