package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.io.InputStream;
import java.nio.file.Path;

/** Work in progress: replaced by the real parser in this change. */
public final class JacksonPolicyParser implements PolicyParser {
  private final ParseLimits limits;

  public JacksonPolicyParser(ParseLimits limits) {
    this.limits = limits;
  }

  @Override
  public ParseResult parse(String text, String sourceName) {
    throw new UnsupportedOperationException("todo " + limits);
  }

  @Override
  public ParseResult parse(InputStream input, String sourceName) {
    throw new UnsupportedOperationException("todo");
  }

  @Override
  public ParseResult parse(Path path) {
    throw new UnsupportedOperationException("todo");
  }
}
