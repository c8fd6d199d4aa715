package dev.meshpassthrough.cli;

import com.google.common.net.InternetDomainName;
import dev.meshpassthrough.core.model.HostnameSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wildcards of {@code suggest --wildcard-threshold K}: {@code K} or more sibling names (names
 * with the same parent, one label removed) become {@code *.parent}, unless the parent is a public
 * suffix or not under one.
 *
 * <p>A public suffix is any suffix on Guava's copy of the Public Suffix List, ICANN and private
 * sections alike ({@link InternetDomainName#isPublicSuffix()}: {@code com}, {@code co.uk}, {@code
 * github.io}): {@code *.github.io} would allow every user's site. A parent not under a public
 * suffix ({@code cluster.local}, a single label) is never widened either: nobody can say who owns
 * its children. Kuma's {@code *.parent} does not match {@code parent} itself, so an observed apex
 * keeps its own entry; names below a wildcard (siblings and deeper names) are dropped, and so is a
 * wildcard below another one.
 */
final class DomainWildcards {
  private DomainWildcards() {}

  /**
   * What {@code names} become.
   *
   * @param values the domain values of the entries to write: the wildcards and the names no
   *     wildcard covers, sorted
   * @param notes one sentence per wildcard, naming how many names it replaces
   */
  record Widened(List<String> values, List<String> notes) {}

  /**
   * Widens sibling names.
   *
   * @param names exact names in lower case, valid for a {@code Domain} entry
   * @param threshold how many siblings make a wildcard, at least 2
   * @param where the port and protocol, for the notes ({@code 443/tls})
   * @return the values of the entries to write, and what was widened
   */
  static Widened widen(SortedSet<String> names, int threshold, String where) {
    Map<String, SortedSet<String>> children = new TreeMap<>();
    for (String name : names) {
      int dot = name.indexOf('.');
      if (dot > 0) {
        children.computeIfAbsent(name.substring(dot + 1), p -> new TreeSet<>()).add(name);
      }
    }
    Map<String, Integer> widened = new TreeMap<>();
    children.forEach(
        (parent, siblings) -> {
          if (siblings.size() >= threshold && widenable(parent)) {
            widened.put(parent, siblings.size());
          }
        });
    List<String> parents = List.copyOf(widened.keySet());
    List<String> notes = new ArrayList<>();
    SortedSet<String> values = new TreeSet<>();
    widened.forEach(
        (parent, siblings) -> {
          if (!covered(parent, parents)) {
            values.add("*." + parent);
            long replaced = names.stream().filter(n -> n.endsWith("." + parent)).count();
            notes.add(
                "*."
                    + parent
                    + " ("
                    + where
                    + ") replaces "
                    + replaced
                    + " names ("
                    + siblings
                    + " siblings seen)");
          }
        });
    for (String name : names) {
      if (!covered(name, parents)) {
        values.add(name);
      }
    }
    return new Widened(List.copyOf(values), notes);
  }

  /**
   * Whether {@code *.parent} may be written: a valid name under a public suffix, not one itself.
   */
  static boolean widenable(String parent) {
    return InternetDomainName.isValid(parent)
        && InternetDomainName.from(parent).isUnderPublicSuffix()
        && HostnameSyntax.problemWithWildcard("*." + parent).isEmpty();
  }

  /** Whether a wildcard of {@code parents} matches {@code name} (not an apex: a proper suffix). */
  private static boolean covered(String name, List<String> parents) {
    for (String parent : parents) {
      if (name.endsWith("." + parent)) {
        return true;
      }
    }
    return false;
  }
}
