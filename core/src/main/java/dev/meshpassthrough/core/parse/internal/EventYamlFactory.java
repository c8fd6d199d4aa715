package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;

/**
 * A {@link YAMLFactory} whose parsers remember the SnakeYAML event behind the current token.
 *
 * <p>Jackson's YAML parser drops the anchor of a scalar value and exposes an alias only as a string
 * token; the event keeps both, so the tree reader can resolve aliases itself (and count them). The
 * hook is {@link YAMLParser#getEvent()}, which Jackson offers to subclasses for exactly this.
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

    /** The event that produced the current token, or null before the first one. */
    @Nullable Event lastEvent() {
      return lastEvent;
    }
  }
}
