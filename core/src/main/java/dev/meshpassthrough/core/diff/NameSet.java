package dev.meshpassthrough.core.diff;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SNI (for TLS) or Host without its port (for HTTP) of a class of connections: a pattern minus
 * the patterns in {@link #except()}. Names compare ignoring case.
 *
 * @param kind what {@link #pattern()} means
 * @param pattern the exact name (lower case) for {@link Kind#EXACT}, {@code *.parent} for {@link
 *     Kind#WILDCARD}; empty for the other kinds
 * @param except exact names and {@code *.parent} wildcards taken out of the set, in the order of
 *     the class's partition; empty for {@link Kind#EXACT} and {@link Kind#NONE}
 */
public record NameSet(Kind kind, Optional<String> pattern, List<String> except) {

  /**
   * Checks that a pattern comes exactly with {@link Kind#EXACT} and {@link Kind#WILDCARD}.
   *
   * @param kind what the pattern means, not null
   * @param pattern the pattern, present exactly for {@link Kind#EXACT} and {@link Kind#WILDCARD}
   * @param except the patterns taken out; copied; not null, nor any element
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when the pattern does not fit the kind
   */
  public NameSet {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pattern, "pattern");
    except = List.copyOf(except);
    boolean named = kind == Kind.EXACT || kind == Kind.WILDCARD;
    if (named != pattern.isPresent()) {
      throw new IllegalArgumentException(kind + " with pattern " + pattern);
    }
  }

  /**
   * Any name or none.
   *
   * @return the set of every name and of the absence of one, without exceptions
   */
  public static NameSet any() {
    return new NameSet(Kind.ANY, Optional.empty(), List.of());
  }

  /** The kinds of name set. */
  public enum Kind {
    /** Any name, or none sent. */
    ANY,
    /** Any name sent; connections without a name are not in the set. */
    NAMED,
    /** No name sent: TLS without SNI, HTTP without Host. */
    NONE,
    /** One name. */
    EXACT,
    /** Every name ending in {@code .parent}, not the apex {@code parent} itself. */
    WILDCARD
  }
}
