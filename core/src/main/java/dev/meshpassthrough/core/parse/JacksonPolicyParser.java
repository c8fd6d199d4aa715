package dev.meshpassthrough.core.parse;

import dev.meshpassthrough.core.parse.internal.JacksonReader;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The {@link PolicyParser} of {@link PolicyParser#create(ParseLimits, OtherKinds)}: Jackson's
 * streaming readers (YAML via SnakeYAML, and JSON), in {@link JacksonReader}. Stateless and
 * thread-safe.
 */
final class JacksonPolicyParser implements PolicyParser {
  private final ParseLimits limits;
  private final OtherKinds otherKinds;
  private final JacksonReader reader;

  JacksonPolicyParser(ParseLimits limits, OtherKinds otherKinds) {
    this.limits = limits;
    this.otherKinds = otherKinds;
    this.reader = new JacksonReader(limits, otherKinds);
  }

  @Override
  public ParseResult parse(String text, String sourceName) {
    return reader.parse(text, sourceName);
  }

  @Override
  public ParseResult parse(InputStream input, String sourceName) {
    return reader.parse(input, sourceName);
  }

  @Override
  public ParseResult parse(Path path) {
    return reader.parse(path);
  }

  @Override
  public String toString() {
    return "JacksonPolicyParser"
        + limits
        + (otherKinds == OtherKinds.SKIP ? "[skipping other kinds]" : "");
  }
}
