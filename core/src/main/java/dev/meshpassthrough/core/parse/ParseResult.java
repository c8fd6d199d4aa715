package dev.meshpassthrough.core.parse;

import java.util.List;

/**
 * What reading some input produced: the documents that could be read, in input order (files of a
 * directory by path, documents of a file in order), a problem for each part that could not, and
 * notes on what was left out on purpose.
 *
 * @param documents the documents read
 * @param problems the problems, in input order
 * @param notes what reading skipped without it being a problem, in input order: entries of a
 *     directory that are not regular files (named pipes, sockets, devices, links to directories),
 *     which are never opened, since opening a named pipe waits for a writer; and, with {@link
 *     OtherKinds#SKIP}, documents of other kinds (a {@code ConfigMap}) in a multi-document input or
 *     a directory, each at its {@code kind} or {@code type} field
 */
public record ParseResult(
    List<dev.meshpassthrough.core.document.PolicyDocument> documents,
    List<ParseProblem> problems,
    List<ParseProblem> notes) {
  /**
   * Copies the lists.
   *
   * @param documents the documents read, in input order; copied
   * @param problems the problems, in input order; copied
   * @param notes what was skipped on purpose, in input order; copied
   * @throws NullPointerException when a list or one of its elements is null
   */
  public ParseResult {
    documents = List.copyOf(documents);
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /**
   * A result without notes.
   *
   * @param documents the documents read, in input order; copied
   * @param problems the problems, in input order; copied
   * @throws NullPointerException when a list or one of its elements is null
   */
  public ParseResult(
      List<dev.meshpassthrough.core.document.PolicyDocument> documents,
      List<ParseProblem> problems) {
    this(documents, problems, List.of());
  }

  /**
   * Whether every part of the input was read (notes do not count).
   *
   * @return true when {@link #problems()} is empty, whatever the notes
   */
  public boolean isClean() {
    return problems.isEmpty();
  }
}
