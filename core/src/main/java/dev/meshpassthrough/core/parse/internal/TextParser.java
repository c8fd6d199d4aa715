package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonParser;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.OtherKinds;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.internal.StopInput.Reason;
import dev.meshpassthrough.core.parse.internal.SyntaxReaders.Syntax;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the documents of one decoded text: picks the syntax, reads document after document, binds
 * each, and keeps going after a bad document until the text itself stops making sense.
 *
 * <p>Text that starts with <code>{</code> or <code>[</code> is first read as JSON (SnakeYAML, a
 * YAML 1.1 reader, rejects some valid JSON such as tabs between tokens); if that fails it is read
 * as YAML, and when both fail the error of the reader that got further is reported.
 *
 * <p>With {@link OtherKinds#SKIP}, a resource of another kind is a note instead of a problem when
 * the text holds several documents or was found in a directory ({@link Origin}).
 */
final class TextParser {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /** Where a text comes from, which decides whether a lone document of another kind is skipped. */
  enum Origin {
    /** Named by the caller (a file, a stream, a string): its only document must be a policy. */
    NAMED,
    /** A file found walking a directory of mixed manifests. */
    IN_DIRECTORY
  }

  private final SyntaxReaders readers;
  private final ParseLimits limits;
  private final OtherKinds otherKinds;

  TextParser(SyntaxReaders readers, ParseLimits limits, OtherKinds otherKinds) {
    this.readers = readers;
    this.limits = limits;
    this.otherKinds = otherKinds;
  }

  ParseResult parse(String text, String source) {
    return parse(text, source, Origin.NAMED);
  }

  ParseResult parse(String text, String source, Origin origin) {
    String content =
        !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    Attempt attempt;
    if (looksLikeJson(content)) {
      attempt = read(Syntax.JSON, content, source);
      if (attempt.stoppedBySyntax()) {
        Attempt yaml = read(Syntax.YAML, content, source);
        if (!yaml.stoppedBySyntax() || yaml.gotFurtherThan(attempt)) {
          attempt = yaml;
        }
      }
    } else {
      attempt = read(Syntax.YAML, content, source);
    }
    List<ParseProblem> problems = attempt.problems;
    List<ParseProblem> notes = new ArrayList<>();
    if (otherKinds == OtherKinds.SKIP && (origin == Origin.IN_DIRECTORY || attempt.roots > 1)) {
      problems.removeIf(attempt.otherKindProblems::contains);
      notes.addAll(attempt.otherKindNotes);
    }
    if (attempt.documents.isEmpty()
        && problems.isEmpty()
        && (notes.isEmpty() || origin == Origin.NAMED)) {
      problems.add(
          new ParseProblem(
              new SourceLocation(source, 1, 1),
              FieldPath.root(),
              "no MeshPassthrough document found"
                  + (notes.isEmpty()
                      ? ""
                      : " ("
                          + notes.size()
                          + (notes.size() == 1 ? " document" : " documents")
                          + " of other kinds skipped)")));
    }
    return new ParseResult(attempt.documents, problems, notes);
  }

  private Attempt read(Syntax syntax, String text, String source) {
    Attempt attempt = new Attempt();
    SyntaxErrors errors = new SyntaxErrors(text, source, syntax, limits);
    DocumentBinder binder = new DocumentBinder();
    try (JsonParser parser = readers.open(syntax, text)) {
      TreeReader reader =
          new TreeReader(
              parser, limits, source, errors, TreeReader.AppendMatch.BOUND_WHILE_READING);
      for (Node root = reader.next(); root != null; root = reader.next()) {
        DocumentBinder.Outcome outcome = binder.bind(root);
        outcome.document().ifPresent(attempt.documents::add);
        attempt.problems.addAll(outcome.problems());
        attempt.roots += DocumentBinder.isEmptyDocument(root) ? 0 : 1;
        outcome
            .otherKind()
            .ifPresent(
                note -> {
                  attempt.otherKindProblems.addAll(outcome.problems());
                  attempt.otherKindNotes.add(note);
                });
      }
    } catch (StopInput stop) {
      attempt.stop = stop;
      attempt.problems.add(stop.problem());
    } catch (IOException | RuntimeException e) {
      // Opening or closing the reader failed; still a problem of this input.
      StopInput stop = errors.describe(e, null);
      attempt.stop = stop;
      attempt.problems.add(stop.problem());
    }
    return attempt;
  }

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /** What reading the text with one syntax gave. */
  private static final class Attempt {
    final List<PolicyDocument> documents = new ArrayList<>();
    final List<ParseProblem> problems = new ArrayList<>();

    /**
     * The problems of resources of other kinds, by identity (two may be equal), and their notes.
     */
    final Set<ParseProblem> otherKindProblems = Collections.newSetFromMap(new IdentityHashMap<>());

    final List<ParseProblem> otherKindNotes = new ArrayList<>();

    /** The documents read, empty ones (a bare {@code ---}) left out. */
    int roots;

    @Nullable StopInput stop;

    boolean stoppedBySyntax() {
      return stop != null && stop.reason() == Reason.SYNTAX;
    }

    boolean gotFurtherThan(Attempt other) {
      if (stop == null || other.stop == null) {
        return stop == null;
      }
      SourceLocation mine = stop.problem().location();
      SourceLocation theirs = other.stop.problem().location();
      return mine.line() > theirs.line()
          || (mine.line() == theirs.line() && mine.column() > theirs.column());
    }
  }
}
