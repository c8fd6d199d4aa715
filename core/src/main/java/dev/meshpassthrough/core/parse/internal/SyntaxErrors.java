package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.StopInput.Reason;
import dev.meshpassthrough.core.parse.internal.SyntaxReaders.Syntax;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns what Jackson or SnakeYAML threw into one clear problem sentence with the line and column
 * the reader reported: no stack trace, no class names, no echo of the input.
 */
final class SyntaxErrors {
  private static final Pattern JACKSON_SOURCE =
      Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final String text;
  private final String source;
  private final Syntax syntax;
  private final ParseLimits limits;

  SyntaxErrors(String text, String source, Syntax syntax, ParseLimits limits) {
    this.text = text;
    this.source = source;
    this.syntax = syntax;
    this.limits = limits;
  }

  /**
   * The problem for {@code error}; {@code fallback} is where the reader stood, used when the error
   * carries no position of its own.
   */
  StopInput describe(Throwable error, @Nullable JsonLocation fallback) {
    SourceLocation fallbackLocation = fromJackson(fallback, null);
    @Nullable StreamConstraintsException constraint = find(error, StreamConstraintsException.class);
    if (constraint != null) {
      return stop(
          Reason.LIMIT,
          fromJackson(constraint.getLocation(), fallbackLocation),
          constraintMessage(constraint));
    }
    @Nullable MarkedYAMLException marked = find(error, MarkedYAMLException.class);
    if (marked != null) {
      @Nullable Mark mark =
          marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      SourceLocation at =
          mark == null
              ? fallbackLocation
              : new SourceLocation(source, mark.getLine() + 1, mark.getColumn() + 1);
      String problem =
          clean(
              marked.getProblem() != null
                  ? marked.getProblem()
                  : String.valueOf(marked.getMessage()));
      String context = marked.getContext() == null ? "" : " (" + clean(marked.getContext()) + ")";
      return stop(Reason.SYNTAX, at, "invalid YAML: " + problem + context);
    }
    @Nullable ReaderException unreadable = find(error, ReaderException.class);
    if (unreadable != null) {
      return stop(
          Reason.SYNTAX,
          atCodePoint(unreadable.getPosition()),
          String.format(
              Locale.ROOT,
              "invalid YAML: character U+%04X is not allowed; YAML text may hold only printable characters",
              unreadable.getCodePoint()));
    }
    @Nullable YAMLException yaml = find(error, YAMLException.class);
    if (yaml != null) {
      String message = clean(String.valueOf(yaml.getMessage()));
      if (message.startsWith("The incoming YAML document exceeds the limit")) {
        return stop(
            Reason.LIMIT, fallbackLocation, LimitMessages.inputBytes(limits.maxInputBytes()));
      }
      return stop(Reason.SYNTAX, fallbackLocation, "invalid YAML: " + message);
    }
    if (error instanceof JsonProcessingException jackson) {
      return stop(
          Reason.SYNTAX,
          fromJackson(jackson.getLocation(), fallbackLocation),
          jacksonMessage(jackson));
    }
    if (error instanceof IOException) {
      return stop(
          Reason.SYNTAX,
          fallbackLocation,
          "cannot read input: " + clean(String.valueOf(error.getMessage())));
    }
    // A reader bug: still a problem for this input, never an exception for the caller.
    return stop(
        Reason.SYNTAX,
        fallbackLocation,
        "could not read input: "
            + error.getClass().getSimpleName()
            + ": "
            + clean(String.valueOf(error.getMessage())));
  }

  private String jacksonMessage(JsonProcessingException error) {
    String message = clean(String.valueOf(error.getOriginalMessage()));
    if (message.startsWith("Expected a field name")) {
      return "invalid YAML: map keys must be single values, not maps, lists or aliases";
    }
    return (syntax == Syntax.JSON ? "invalid JSON: " : "invalid YAML: ") + message;
  }

  private String constraintMessage(StreamConstraintsException error) {
    String message = String.valueOf(error.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return LimitMessages.nestingDepth(limits.maxNestingDepth());
    }
    if (message.contains("Document length")) {
      return LimitMessages.inputBytes(limits.maxInputBytes());
    }
    if (message.contains("Name length")) {
      return "a key is longer than "
          + StreamReadConstraints.DEFAULT_MAX_NAME_LEN
          + " characters, the most the reader takes";
    }
    if (message.contains("Number value length")) {
      return "a number is longer than "
          + StreamReadConstraints.DEFAULT_MAX_NUM_LEN
          + " digits, the most the reader takes";
    }
    // String length: Jackson's own bound, never below maxInputBytes; its message names it.
    return "input goes over a reader limit: " + clean(message);
  }

  private StopInput stop(Reason reason, SourceLocation at, String message) {
    return new StopInput(reason, new ParseProblem(at, FieldPath.root(), message));
  }

  private SourceLocation fromJackson(
      @Nullable JsonLocation location, @Nullable SourceLocation fallback) {
    if (location == null || location.getLineNr() <= 0) {
      return fallback != null ? fallback : SourceLocation.of(source);
    }
    return new SourceLocation(source, location.getLineNr(), Math.max(location.getColumnNr(), 0));
  }

  /**
   * Line and column of the code point at {@code position}, counting line breaks as SnakeYAML does.
   */
  private SourceLocation atCodePoint(int position) {
    int line = 1;
    int column = 1;
    int index = 0;
    for (int seen = 0; seen < position && index < text.length(); seen++) {
      int codePoint = text.codePointAt(index);
      index += Character.charCount(codePoint);
      boolean crlf = codePoint == '\r' && index < text.length() && text.charAt(index) == '\n';
      if (codePoint == '\n' || (codePoint == '\r' && !crlf)) {
        line++;
        column = 1;
      } else if (!crlf) {
        column++;
      }
    }
    return new SourceLocation(source, line, column);
  }

  private static String clean(String message) {
    // SnakeYAML shows the end of the input as the character NUL followed by "(0)".
    String readable = message.replace("\u0000(0)", "the end of the input");
    String withoutSource = JACKSON_SOURCE.matcher(readable).replaceAll("line $1, column $2");
    String oneLine = WHITESPACE.matcher(withoutSource).replaceAll(" ").trim();
    StringBuilder out = new StringBuilder(oneLine.length());
    oneLine
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "U+%04X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
    int hops = 0;
    for (Throwable current = error;
        current != null && hops < 20;
        current = current.getCause(), hops++) {
      if (type.isInstance(current)) {
        return type.cast(current);
      }
    }
    return null;
  }
}
