package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonParser;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One YAML document read into the located tree the policy parser binds ({@link Node}), under the
 * same {@link ParseLimits} (size, depth, aliases, entries) and with the same located syntax errors,
 * for another file of the project: the guardrails file of the validation module. Not an API:
 * exported to that module only.
 *
 * <p>Never throws for bad input: every problem comes back located.
 */
public final class LocatedTree {
  private LocatedTree() {}

  /**
   * The root of the document, or the problem that stopped reading it.
   *
   * @param root the root node; empty exactly when {@code problem} is present
   * @param problem the problem, located
   */
  public record Read(Optional<Node> root, Optional<ParseProblem> problem) {}

  /**
   * Reads {@code text}, which must hold exactly one document.
   *
   * @param text YAML (JSON is YAML here)
   * @param source the name locations carry
   * @param limits the bounds
   * @return the root or the problem
   */
  public static Read read(String text, String source, ParseLimits limits) {
    Objects.requireNonNull(text, "text");
    try {
      if (InputText.utf8Length(text, limits.maxInputBytes()) > limits.maxInputBytes()) {
        return problem(source, LimitMessages.inputBytes(limits.maxInputBytes()));
      }
      String content = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
      SyntaxErrors errors = new SyntaxErrors(content, source, SyntaxReaders.Syntax.YAML, limits);
      try (JsonParser parser = new SyntaxReaders(limits).open(SyntaxReaders.Syntax.YAML, content)) {
        TreeReader reader = new TreeReader(parser, limits, source, errors);
        Node root = reader.next();
        if (root == null) {
          return problem(source, "the file holds no document");
        }
        Node second = reader.next();
        if (second != null) {
          return new Read(
              Optional.empty(),
              Optional.of(
                  new ParseProblem(
                      second.location(),
                      FieldPath.root(),
                      "the file must hold one document, it holds more")));
        }
        return new Read(Optional.of(root), Optional.empty());
      } catch (IOException | RuntimeException e) {
        throw errors.describe(e, null);
      }
    } catch (StopInput stop) {
      return new Read(Optional.empty(), Optional.of(stop.problem()));
    } catch (RuntimeException | StackOverflowError e) {
      return problem(
          source, "could not read input: internal error " + e.getClass().getSimpleName());
    }
  }

  /**
   * Reads the file {@code path}, no further than the input limit.
   *
   * @param path the file
   * @param limits the bounds
   * @return the root or the problem
   */
  public static Read read(Path path, ParseLimits limits) {
    String source = path.toString();
    try {
      if (Files.isRegularFile(path) && Files.size(path) > limits.maxInputBytes()) {
        return problem(source, LimitMessages.inputBytes(Files.size(path), limits.maxInputBytes()));
      }
      byte[] bytes;
      try (InputStream input = Files.newInputStream(path)) {
        bytes = InputText.read(input, source, limits.maxInputBytes());
      }
      return read(InputText.decode(bytes, source), source, limits);
    } catch (IOException e) {
      return problem(source, "cannot read file: " + FileInputs.reason(e));
    } catch (StopInput stop) {
      return new Read(Optional.empty(), Optional.of(stop.problem()));
    }
  }

  private static Read problem(String source, String message) {
    return new Read(
        Optional.empty(),
        Optional.of(new ParseProblem(new SourceLocation(source, 1, 1), FieldPath.root(), message)));
  }
}
