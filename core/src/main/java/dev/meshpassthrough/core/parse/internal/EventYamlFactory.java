package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A {@link YAMLFactory} whose parsers remember the SnakeYAML event behind the current token.
 *
 * <p>Jackson's YAML parser drops the anchor of a scalar value and exposes an alias only as a string
 * token; the event keeps both, so the tree reader can resolve aliases itself (and count them). The
 * hook is {@link YAMLParser#getEvent()}, which Jackson offers to subclasses for exactly this.
 *
 * <p>The parsers also spare SnakeYAML's type resolver the scalars it can only call strings (see
 * {@link EventYamlParser#_decodeScalar}).
 */
final class EventYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  EventYamlFactory(YAMLFactoryBuilder builder) {
    super(builder);
  }

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext context) {
    return new EventYamlParser(
        context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
  }

  /**
   * The characters that start no implicit type of the resolver Jackson's parser uses (SnakeYAML's
   * default), read from its own table: a type's regular expressions only run for the scalars that
   * start with one of the type's first characters, apart from the types listed for any first
   * character, which must only match the empty string. If SnakeYAML ever lists another type for any
   * first character, no character qualifies and every scalar goes to the resolver.
   */
  static final class ImplicitTypes extends Resolver {
    /** The null expression, which SnakeYAML lists for any first character too. */
    private static final String NULL_WORDS = "^(?:~|null|Null|NULL| )$";

    /** The first characters of what {@link #NULL_WORDS} matches. */
    private static final String NULL_FIRST = "~nN ";

    private static final boolean[] STARTS_NONE = new ImplicitTypes().startingNone();

    static boolean startsNone(char first) {
      return first < STARTS_NONE.length && STARTS_NONE[first];
    }

    private boolean[] startingNone() {
      boolean[] none = new boolean[128];
      for (Object type : yamlImplicitResolvers.getOrDefault(null, List.of())) {
        String written = String.valueOf(type);
        if (!written.contains("regexp=" + EMPTY.pattern() + " ")
            && !(NULL.pattern().equals(NULL_WORDS)
                && written.contains("regexp=" + NULL_WORDS + " "))) {
          return none;
        }
      }
      for (char c = '!'; c < none.length; c++) {
        none[c] = !yamlImplicitResolvers.containsKey(c) && NULL_FIRST.indexOf(c) < 0;
      }
      return none;
    }
  }

  /** A YAML parser that keeps the last SnakeYAML event it consumed. */
  static final class EventYamlParser extends YAMLParser {
    private @Nullable Event lastEvent;

    EventYamlParser(
        IOContext context,
        int parserFeatures,
        int yamlFeatures,
        LoaderOptions loaderOptions,
        @Nullable ObjectCodec codec,
        Reader reader) {
      super(context, parserFeatures, yamlFeatures, loaderOptions, codec, reader);
    }

    @Override
    protected Event getEvent() throws IOException {
      Event event = super.getEvent();
      lastEvent = event;
      return event;
    }

    /**
     * Reads a plain scalar that no implicit YAML 1.1 type can start with ({@code Domain}, {@code
     * http}, {@code svc.example.com}) as a string without asking the type resolver, which runs a
     * regular expression (and allocates a matcher) for it only to find that it matches the empty
     * string; everything else goes to Jackson as before. The result is what Jackson gives: the
     * resolver answers {@code str} for a non-empty untagged scalar whose first character starts
     * none of its types.
     */
    @Override
    protected JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
      String value = scalar.getValue();
      if (scalar.getTag() == null
          && !value.isEmpty()
          && ImplicitTypes.startsNone(value.charAt(0))) {
        _textValue = value;
        _cleanedTextValue = null;
        return JsonToken.VALUE_STRING;
      }
      return super._decodeScalar(scalar);
    }

    /** The event that produced the current token, or null before the first one. */
    @Nullable Event lastEvent() {
      return lastEvent;
    }
  }
}
