package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.parse.OtherKinds;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.PolicyParser;
import picocli.CommandLine.Option;

/**
 * The options of every command that reads policies ({@code validate}, {@code translate}, {@code
 * resolve}, {@code explain}), mixed in with picocli's {@code @Mixin}.
 *
 * <p>By default a document of another kind (a {@code ConfigMap} beside the policy) is skipped with
 * a note when it is one of several documents of a file or a file found in a directory, so that a
 * directory of mixed manifests can be read; {@code --strict-kinds} makes it an error, as before.
 */
final class PolicyReadingOptions {
  @Option(
      names = "--strict-kinds",
      description =
          "Make a document of another kind (a ConfigMap beside the policy) "
              + "an error. By default it is skipped with a note when it shares a file with other documents or is found in a "
              + "directory; a file holding only that document is an error either way.")
  boolean strictKinds;

  /** What to do with documents of other kinds. */
  OtherKinds otherKinds() {
    return strictKinds ? OtherKinds.REJECT : OtherKinds.SKIP;
  }

  /** The parser these options describe, with the default limits. */
  PolicyParser parser() {
    return PolicyParser.create(ParseLimits.defaults(), otherKinds());
  }
}
