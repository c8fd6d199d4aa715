package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.OtherKinds;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The reading behind {@link PolicyParser}, built on Jackson's streaming readers (YAML via
 * SnakeYAML, and JSON): {@link PolicyParser#create(ParseLimits)}'s package-private implementation
 * delegates each method here. Not API: use that factory.
 *
 * <p>Stateless apart from its configured readers, and thread-safe. Every kind of bad input,
 * including input over a {@link ParseLimits} bound, comes back as a {@link ParseProblem}; only null
 * arguments throw. No DNS lookups happen: values are kept as written.
 */
public final class JacksonReader {
  private final ParseLimits limits;
  private final OtherKinds otherKinds;
  private final TextParser texts;
  private final FileInputs files;

  /**
   * A reader enforcing {@code limits} that rejects documents of other kinds.
   *
   * @param limits the bounds
   */
  public JacksonReader(ParseLimits limits) {
    this(limits, OtherKinds.REJECT);
  }

  /**
   * A reader enforcing {@code limits} that treats documents of other kinds as {@code otherKinds}
   * says.
   *
   * @param limits the bounds
   * @param otherKinds reject or skip other kinds
   */
  public JacksonReader(ParseLimits limits, OtherKinds otherKinds) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.otherKinds = Objects.requireNonNull(otherKinds, "otherKinds");
    this.texts = new TextParser(new SyntaxReaders(limits), limits, otherKinds);
    this.files = new FileInputs(texts, limits);
  }

  /**
   * See {@link PolicyParser#parse(String, String)}.
   *
   * @param text YAML or JSON
   * @param sourceName the name locations carry
   * @return the documents and problems
   */
  public ParseResult parse(String text, String sourceName) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    return guarded(
        sourceName,
        () -> {
          if (InputText.utf8Length(text, limits.maxInputBytes()) > limits.maxInputBytes()) {
            return problem(sourceName, LimitMessages.inputBytes(limits.maxInputBytes()));
          }
          return texts.parse(text, sourceName);
        });
  }

  /**
   * See {@link PolicyParser#parse(InputStream, String)}.
   *
   * @param input the stream, not closed
   * @param sourceName the name locations carry
   * @return the documents and problems
   */
  public ParseResult parse(InputStream input, String sourceName) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(sourceName, "sourceName");
    return guarded(
        sourceName,
        () -> {
          try {
            byte[] bytes = InputText.read(input, sourceName, limits.maxInputBytes());
            return texts.parse(InputText.decode(bytes, sourceName), sourceName);
          } catch (StopInput stop) {
            return new ParseResult(List.of(), List.of(stop.problem()));
          }
        });
  }

  /**
   * See {@link PolicyParser#parse(Path)}.
   *
   * @param path a file or a directory
   * @return the documents and problems
   */
  public ParseResult parse(Path path) {
    Objects.requireNonNull(path, "path");
    return guarded(path.toString(), () -> files.parse(path));
  }

  /**
   * Runs {@code read}, turning anything it still throws into a problem: the contract is that bad
   * input never throws, and a bug in this reader must not break that either.
   */
  private static ParseResult guarded(String source, Supplier<ParseResult> read) {
    try {
      return read.get();
    } catch (RuntimeException | StackOverflowError e) {
      return problem(
          source, "could not read input: internal error " + e.getClass().getSimpleName());
    }
  }

  private static ParseResult problem(String source, String message) {
    return new ParseResult(
        List.of(),
        List.of(new ParseProblem(new SourceLocation(source, 1, 1), FieldPath.root(), message)));
  }

  @Override
  public String toString() {
    return "JacksonReader"
        + limits
        + (otherKinds == OtherKinds.SKIP ? "[skipping other kinds]" : "");
  }
}
