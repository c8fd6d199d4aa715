package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.validation.guardrails.Guardrails;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --guardrails FILE}, mixed in with picocli's {@code @Mixin} by the commands that check an
 * operator's guardrails ({@code validate}, {@code resolve}, {@code translate}, {@code serve}), and
 * the reading of the file they share: a file that cannot be read or used is an exit 2 with each
 * problem at its line and column.
 */
final class GuardrailsOption {
  @Option(
      names = "--guardrails",
      paramLabel = "FILE",
      description =
          "An operator's guardrails file (kind: MeshPassthroughGuardrails; see the README's Guardrails section): "
              + "its rules are checked on each policy and on each proxy's merged conf, findings have rule ids "
              + "guardrail.*, and an error finding fails like a validation error.")
  @Nullable Path file;

  /** What reading the option gave: no file, the guardrails, or a file that cannot be used. */
  enum Outcome {
    NONE,
    READ,
    UNUSABLE
  }

  private Optional<Guardrails> read = Optional.empty();

  /**
   * Reads the file when the option was given, printing each problem ({@code file:line:column: path:
   * message}) on standard error.
   */
  Outcome read(Streams streams) {
    if (file == null) {
      return Outcome.NONE;
    }
    Guardrails.Parsed parsed = Guardrails.read(file);
    for (ParseProblem problem : parsed.problems()) {
      streams.err().println(problem);
    }
    read = parsed.guardrails();
    return read.isPresent() ? Outcome.READ : Outcome.UNUSABLE;
  }

  /** The guardrails read, if the option was given and the file read. */
  Optional<Guardrails> guardrails() {
    return read;
  }

  /** {@code options} with the guardrails read, if any. */
  PassthroughPipeline.Options applyTo(PassthroughPipeline.Options options) {
    return read.map(options::withGuardrails).orElse(options);
  }
}
