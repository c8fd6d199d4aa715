package dev.meshpassthrough.envoy.internal.kuma;

import com.google.common.collect.Maps;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds what Envoy would reject in the chains of one listener: two chains with the same name, or
 * with matches that file into the same leaf of Envoy's filter-chain index.
 *
 * <p>Kuma can produce such pairs, for example when an {@code http} domain without a port is copied
 * onto a port that an {@code http2} match uses: both chains then match {@code [http/1.1, h2c]} on
 * {@code raw_buffer} and that port. Envoy refuses the whole listener.
 *
 * <p>Matches are compared after the normalisation Envoy applies: server names in lower case and
 * prefix ranges in canonical text. Each of the chains here lists at most one server name and one
 * prefix range, so equal normalised matches are exactly the colliding ones.
 */
final class DuplicateChainCheck {
  private DuplicateChainCheck() {}

  /**
   * The problems of the chains of every rebuilt listener, one per pair of chains, in the order of
   * the entries they name, each at the first entry it names.
   *
   * @return errors of rule {@code translate.chain.duplicate-name} or {@code
   *     translate.chain.duplicate-match}
   * @param chainsByListener the chains of each listener
   * @param matches the {@code appendMatch} entries the chains' matchers index into
   */
  static List<Problem> problems(
      Collection<List<BuiltChain>> chainsByListener, List<Match> matches) {
    Set<Pair> problems = new LinkedHashSet<>();
    for (List<BuiltChain> chains : chainsByListener) {
      Map<String, BuiltChain> byName = Maps.newHashMapWithExpectedSize(chains.size());
      Map<FilterChainMatch, BuiltChain> byMatch = Maps.newHashMapWithExpectedSize(chains.size());
      for (BuiltChain chain : chains) {
        BuiltChain sameName = byName.putIfAbsent(chain.chain().getName(), chain);
        if (sameName != null) {
          problems.add(Pair.of(sameName, chain, Kind.SAME_NAME));
          continue;
        }
        BuiltChain sameMatch = byMatch.putIfAbsent(normalised(chain), chain);
        if (sameMatch != null) {
          problems.add(Pair.of(sameMatch, chain, Kind.SAME_MATCH));
        }
      }
    }
    List<Pair> sorted = new ArrayList<>(problems);
    sorted.sort(
        (a, b) ->
            a.first() != b.first()
                ? Integer.compare(a.first(), b.first())
                : Integer.compare(a.second(), b.second()));
    return sorted.stream().map(p -> p.problem(matches)).distinct().toList();
  }

  private static FilterChainMatch normalised(BuiltChain chain) {
    FilterChainMatch match = chain.chain().getFilterChainMatch();
    boolean normal = true;
    for (String name : match.getServerNamesList()) {
      normal &= name.equals(name.toLowerCase(Locale.ROOT));
    }
    for (CidrRange range : match.getPrefixRangesList()) {
      String address = range.getAddressPrefix();
      normal &= canonical(address, chain.matcher()).equals(address);
    }
    if (normal) {
      return match; // most chains: nothing to rebuild
    }
    FilterChainMatch.Builder builder = match.toBuilder().clearServerNames().clearPrefixRanges();
    match
        .getServerNamesList()
        .forEach(name -> builder.addServerNames(name.toLowerCase(Locale.ROOT)));
    for (CidrRange range : match.getPrefixRangesList()) {
      builder.addPrefixRanges(
          range.toBuilder().setAddressPrefix(canonical(range.getAddressPrefix())));
    }
    return builder.build();
  }

  /**
   * {@link #canonical(String)} of a prefix range's address, from what its matcher already knows
   * when the address is its destination's: a CIDR's network text is canonical, and an IP's literal
   * is parsed already.
   */
  private static String canonical(String address, FilterChainMatcher matcher) {
    if (!matcher.networkText().isEmpty() && matcher.networkText().equals(address)) {
      return address;
    }
    if (matcher.destination().isPresent()
        && matcher.destination().get() instanceof Destination.Ip ip
        && ip.value().equals(address)) {
      return ip.literal().canonical();
    }
    return canonical(address);
  }

  /** An IP address in canonical text; anything else as it is. */
  static String canonical(String address) {
    if (digitsAndDots(address)) {
      // Either not an address, or a dotted quad without leading zeros (the only IPv4 form the
      // parser takes), which is its own canonical text: no need to parse it twice and print it.
      return address;
    }
    return IpLiteral.parse(address).isPresent()
        ? InetAddresses.toAddrString(InetAddresses.forString(address))
        : address;
  }

  private static boolean digitsAndDots(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private enum Kind {
    SAME_NAME,
    SAME_MATCH
  }

  /** Two chains that cannot live on one listener, each named by its first entry. */
  private record Pair(int first, String firstChain, int second, String secondChain, Kind kind) {
    static Pair of(BuiltChain one, BuiltChain other, Kind kind) {
      int a = one.matcher().firstEntry();
      int b = other.matcher().firstEntry();
      return a <= b
          ? new Pair(a, one.chain().getName(), b, other.chain().getName(), kind)
          : new Pair(b, other.chain().getName(), a, one.chain().getName(), kind);
    }

    Problem problem(List<Match> matches) {
      String rule =
          kind == Kind.SAME_NAME
              ? TranslationRules.CHAIN_DUPLICATE_NAME
              : TranslationRules.CHAIN_DUPLICATE_MATCH;
      return TranslationRules.error(rule, message(matches), first);
    }

    private String message(List<Match> matches) {
      String entries =
          first == second
              ? entry(first, matches)
              : entry(first, matches) + " and " + entry(second, matches);
      String what =
          kind == Kind.SAME_NAME
              ? "give two filter chains the name " + firstChain
              : "give filter chains " + firstChain + " and " + secondChain + " the same match";
      return entries + " " + what + ", which Envoy rejects: change or remove one of them";
    }

    private static String entry(int index, List<Match> matches) {
      return "appendMatch[" + index + "] (" + matches.get(index) + ")";
    }
  }
}
