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

  /** A parser with {@link ParseLimits#defaults()} that rejects documents of other kinds. */
  static PolicyParser create() {
    return create(ParseLimits.defaults());
  }

  /** A parser with the given limits that rejects documents of other kinds ({@link OtherKinds#REJECT}). */
  static PolicyParser create(ParseLimits limits) {
    return create(limits, OtherKinds.REJECT);
  }

  /**
   * A parser with the given limits and treatment of documents of other kinds.
   *
   * @param limits the bounds on input
   * @param otherKinds whether a {@code ConfigMap} beside the policy is a problem or skipped with a note
   * @return the parser, stateless and thread-safe
   */
  static PolicyParser create(ParseLimits limits, OtherKinds otherKinds) {
    return new JacksonPolicyParser(limits, otherKinds);
  }

  /**
   * Reads text.
   *
   * @param text YAML or JSON
   * @param sourceName the name locations carry, for example a file name
   */
  ParseResult parse(String text, String sourceName);

  /** Reads a stream to its end (it is not closed); {@code sourceName} names it in locations. */
  ParseResult parse(InputStream input, String sourceName);

  /**
   * Reads a file, or every {@code .yaml}, {@code .yml} and {@code .json} file below a directory in
   * path order. A path that cannot be read is a problem, not an exception. A directory walk reads
   * regular files (and links to them) only and never blocks: any other entry of such a name (a named
   * pipe, a socket, a device, a link to a directory) is left unopened and listed in {@link
   * ParseResult#notes()}. A path given here directly that is not a regular file (a named pipe) is
   * read as a stream, no further than {@link ParseLimits#maxInputBytes()}.
   */
  ParseResult parse(Path path);
}
