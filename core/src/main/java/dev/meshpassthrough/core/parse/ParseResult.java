package dev.meshpassthrough.core.parse;

import java.util.List;

/**
 * What reading some input produced: the documents that could be read, in input order (files of a
 * directory by path, documents of a file in order), and a problem for each part that could not.
 *
 * @param documents the documents read
 * @param problems the problems, in input order
 */
public record ParseResult(List<dev.meshpassthrough.core.document.PolicyDocument> documents, List<ParseProblem> problems) {
  /** Copies the lists. */
  public ParseResult {
    documents = List.copyOf(documents);
    problems = List.copyOf(problems);
  }

  /** Whether every part of the input was read. */
  public boolean isClean() {
    return problems.isEmpty();
  }
}
