package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A conf merged from one or more policies, before defaults, with the policy of every {@code
 * appendMatch} entry: what Kuma's inspect API shows for a proxy
 * (docs/selection-and-merge.md#merge).
 *
 * <p>Immutable. {@link #merge(MergedConf, MergedConf)} is the whole merge of MeshPassthrough,
 * written out by hand: {@code passthroughMode} is the stronger conf's when it sets one, else the
 * weaker's (JSON merge patch on a scalar); {@code appendMatch} is the weaker list followed by the
 * stronger one (Kuma's {@code append*} rule), absent only when both are absent, so that an empty
 * list never clears anything. The merge is associative and {@link #empty()} is its identity.
 *
 * @param passthroughMode the mode, if some conf sets it
 * @param appendMatch the entries in precedence order (weakest policy first), if some conf has the
 *     field
 */
public record MergedConf(
    Optional<PassthroughMode> passthroughMode, Optional<List<AttributedMatch>> appendMatch) {
  private static final MergedConf EMPTY = new MergedConf(Optional.empty(), Optional.empty());

  /**
   * Copies the list.
   *
   * @param passthroughMode the mode, or empty when no conf sets it
   * @param appendMatch the entries in precedence order, or empty when no conf has the field; copied
   * @throws NullPointerException when a component or a list element is null
   */
  public MergedConf {
    Objects.requireNonNull(passthroughMode, "passthroughMode");
    appendMatch = appendMatch.map(List::copyOf);
  }

  /**
   * The conf that sets nothing ({@code default: {}}), the identity of {@link #merge}.
   *
   * @return the shared conf with both fields empty
   */
  public static MergedConf empty() {
    return EMPTY;
  }

  /**
   * The conf of one policy, its entries attributed to {@code policy} with their indexes.
   *
   * @param policy the core name of the policy, never null
   * @param conf the policy's {@code spec.default}, never null
   * @return the same mode and entries, entry {@code i} attributed to {@code policy} at index {@code
   *     i}; {@code appendMatch} stays absent when {@code conf} does not have it
   * @throws NullPointerException when {@code policy} or {@code conf} is null
   */
  public static MergedConf of(String policy, PassthroughConf conf) {
    Objects.requireNonNull(policy, "policy");
    return new MergedConf(
        conf.passthroughMode(),
        conf.appendMatch()
            .map(
                matches -> {
                  List<AttributedMatch> entries = new ArrayList<>(matches.size());
                  for (int i = 0; i < matches.size(); i++) {
                    entries.add(new AttributedMatch(matches.get(i), policy, i));
                  }
                  return entries;
                }));
  }

  /**
   * Merges a weaker and a stronger conf (docs/selection-and-merge.md#merge).
   *
   * @param weaker the conf of lower precedence, never null
   * @param stronger the conf of higher precedence, never null
   * @return a new conf: the stronger mode if set, else the weaker's; the weaker entries followed by
   *     the stronger ones; neither argument is changed
   */
  public static MergedConf merge(MergedConf weaker, MergedConf stronger) {
    Optional<PassthroughMode> mode = stronger.passthroughMode.or(() -> weaker.passthroughMode);
    Optional<List<AttributedMatch>> entries;
    if (weaker.appendMatch.isEmpty()) {
      entries = stronger.appendMatch;
    } else if (stronger.appendMatch.isEmpty()) {
      entries = weaker.appendMatch;
    } else {
      List<AttributedMatch> both = new ArrayList<>(weaker.appendMatch.get());
      both.addAll(stronger.appendMatch.get());
      entries = Optional.of(both);
    }
    return new MergedConf(mode, entries);
  }

  /**
   * The merge of {@code confs} in precedence order, weakest first; {@link #empty()} for none. Equal
   * to folding {@link #merge} from the left, in one pass.
   *
   * @param confs the confs, weakest first, never null and without null elements
   * @return the merged conf: the mode of the last conf that sets one, and the entries of every conf
   *     in list order, absent when no conf has the field
   */
  public static MergedConf mergeAll(List<MergedConf> confs) {
    Optional<PassthroughMode> mode = Optional.empty();
    List<AttributedMatch> entries = new ArrayList<>();
    boolean listed = false;
    for (MergedConf conf : confs) {
      if (conf.passthroughMode.isPresent()) {
        mode = conf.passthroughMode;
      }
      if (conf.appendMatch.isPresent()) {
        listed = true;
        entries.addAll(conf.appendMatch.get());
      }
    }
    return new MergedConf(mode, listed ? Optional.of(entries) : Optional.empty());
  }

  /**
   * The conf without attribution, as the translator takes it.
   *
   * @return a conf with the same mode and the matches in the same order, absent fields kept absent
   */
  public PassthroughConf conf() {
    return new PassthroughConf(
        passthroughMode,
        appendMatch.map(list -> list.stream().map(AttributedMatch::match).toList()));
  }

  /**
   * The entries, or an empty list when the field is absent.
   *
   * @return an unmodifiable list in precedence order, weakest policy first
   */
  public List<AttributedMatch> entries() {
    return appendMatch.orElse(List.of());
  }

  /**
   * The matches of {@link #entries()}, in order.
   *
   * @return an unmodifiable list, empty when the field is absent
   */
  public List<Match> matches() {
    return entries().stream().map(AttributedMatch::match).toList();
  }
}
