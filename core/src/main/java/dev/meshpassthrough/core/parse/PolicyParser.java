package dev.meshpassthrough.core.parse;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads MeshPassthrough documents (Kubernetes, Universal or a bare spec; YAML or JSON; one or many
 * documents per input).
 *
 * <p>Stateless and thread-safe. Never throws for bad input and never resolves DNS: every problem is
 * returned in the {@link ParseResult} with its location. Unknown fields are problems, with a
 * suggestion for near misses ({@code appendMatches} → {@code appendMatch}).
 */
public interface PolicyParser {

  /**
   * A parser with {@link ParseLimits#defaults()} that rejects documents of other kinds.
   *
   * @return the parser, stateless and thread-safe
   */
  static PolicyParser create() {
    return create(ParseLimits.defaults());
  }

  /**
   * A parser with the given limits that rejects documents of other kinds ({@link
   * OtherKinds#REJECT}).
   *
   * @param limits the bounds on input, never null
   * @return the parser, stateless and thread-safe
   */
  static PolicyParser create(ParseLimits limits) {
    return create(limits, OtherKinds.REJECT);
  }

  /**
   * A parser with the given limits and treatment of documents of other kinds.
   *
   * @param limits the bounds on input
   * @param otherKinds whether a {@code ConfigMap} beside the policy is a problem or skipped with a
   *     note
   * @return the parser, stateless and thread-safe
   */
  static PolicyParser create(ParseLimits limits, OtherKinds otherKinds) {
    return new JacksonPolicyParser(limits, otherKinds);
  }

  /**
   * Reads text.
   *
   * @param text YAML or JSON, never null; may hold several documents separated by {@code ---}; text
   *     longer than {@link ParseLimits#maxInputBytes()} in UTF-8 is a problem
   * @param sourceName the name locations carry, for example a file name; never null
   * @return the documents read, in input order, and a problem for each part that could not be read
   * @throws NullPointerException when {@code text} or {@code sourceName} is null
   */
  ParseResult parse(String text, String sourceName);

  /**
   * Reads a stream to its end (it is not closed); {@code sourceName} names it in locations.
   *
   * @param input the UTF-8 YAML or JSON bytes, never null; left open, and read for at most one byte
   *     more than {@link ParseLimits#maxInputBytes()}, a longer input being a problem
   * @param sourceName the name locations carry, for example {@code <stdin>}; never null
   * @return the documents read, in input order, and a problem for each part that could not be read,
   *     an I/O failure included
   * @throws NullPointerException when {@code input} or {@code sourceName} is null
   */
  ParseResult parse(InputStream input, String sourceName);

  /**
   * Reads a file, or every {@code .yaml}, {@code .yml} and {@code .json} file below a directory in
   * path order. A path that cannot be read is a problem, not an exception. A directory walk reads
   * regular files (and links to them) only and never blocks: any other entry of such a name (a
   * named pipe, a socket, a device, a link to a directory) is left unopened and listed in {@link
   * ParseResult#notes()}. A path given here directly that is not a regular file (a named pipe) is
   * read as a stream, no further than {@link ParseLimits#maxInputBytes()}.
   *
   * @param path a file or directory, never null; its text names the sources in locations
   * @return the documents read, files in path order and documents of a file in order; a problem for
   *     each file or part that could not be read; notes for the entries left unopened
   * @throws NullPointerException when {@code path} is null
   */
  ParseResult parse(Path path);
}
