package dev.meshpassthrough.core.parse.internal;

import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Which YAML tags the readers know. Jackson keeps a tag it does not know as nothing at all ({@code
 * !foo 8080} reads as the string {@code "8080"}, {@code type: !Bar Domain} as {@code Domain}), so
 * an application-specific tag would change nothing while the writer meant something by it: such a
 * tag is refused instead. YAML's standard tags ({@code !!str}, {@code !!int}, {@code !!float},
 * {@code !!bool}, {@code !!null}, {@code !!map}, {@code !!seq}, and {@code !!binary}, {@code
 * !!timestamp}, {@code !!set}, {@code !!omap}, {@code !!pairs}) are read as YAML 1.1 defines them.
 *
 * <p>Public only for the proxy-file reader of {@code core.resolve}; not an API.
 */
public final class YamlTags {
  private static final String STANDARD_PREFIX = "tag:yaml.org,2002:";
  private static final Set<String> STANDARD =
      Set.of(
          "str",
          "int",
          "float",
          "bool",
          "null",
          "map",
          "seq",
          "binary",
          "timestamp",
          "set",
          "omap",
          "pairs");
  private static final int SHOWN = 80;

  private YamlTags() {}

  /**
   * Why the tag of {@code event} is refused, or empty when it has none or a standard one. The
   * reason reads {@code YAML tag !foo is not read here: ...}.
   */
  public static Optional<String> refusal(@Nullable Event event) {
    @Nullable String tag =
        event instanceof ScalarEvent scalar
            ? scalar.getTag()
            : event instanceof CollectionStartEvent collection ? collection.getTag() : null;
    if (tag == null || isStandard(tag)) {
      return Optional.empty();
    }
    return Optional.of(
        "YAML tag "
            + shown(tag)
            + " is not read here: only YAML's standard tags are (!!str, !!int, "
            + "!!float, !!bool, !!null, !!map, !!seq, ...); write the value without the tag");
  }

  private static boolean isStandard(String tag) {
    return tag.startsWith(STANDARD_PREFIX)
        && STANDARD.contains(tag.substring(STANDARD_PREFIX.length()));
  }

  /**
   * The tag as written ({@code !!x} for YAML's namespace), shortened, control characters escaped.
   */
  private static String shown(String tag) {
    String written =
        tag.startsWith(STANDARD_PREFIX) ? "!!" + tag.substring(STANDARD_PREFIX.length()) : tag;
    if (written.length() > SHOWN) {
      written = written.substring(0, SHOWN) + "...";
    }
    StringBuilder out = new StringBuilder(written.length());
    written
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format(java.util.Locale.ROOT, "U+%04X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
