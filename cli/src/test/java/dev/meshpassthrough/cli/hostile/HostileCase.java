package dev.meshpassthrough.cli.hostile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One hostile or malformed input of {@code hostile/cases.yaml} and what must come out of it.
 *
 * @param id a short unique name
 * @param about what the input is, in words
 * @param file the input, a file below {@code hostile/}; or null when {@code generate} builds it
 * @param generate the name of a {@link HostileInputs} generator for inputs too big to commit
 * @param outcome what the input is: {@code problem} (it cannot be read), {@code error} (it is read
 *     but invalid), {@code warning} (valid, with a warning) or {@code accepted} (valid, silently)
 * @param exit the exit code of {@code meshpassthrough validate INPUT}
 * @param expect a substring of one line that {@code validate} prints (on standard error for
 *     problems, standard output otherwise) and that the library reports in the same words: the line
 *     and column, the field path, the message and, for violations, the rule id
 * @param knownIssue why the command line does not yet print this case on one line per problem, or
 *     null when it does
 */
record HostileCase(
    String id,
    String about,
    @Nullable String file,
    @Nullable String generate,
    String outcome,
    int exit,
    String expect,
    @Nullable String knownIssue) {

  private static final String MANIFEST = "/hostile/cases.yaml";

  /** The outcomes, and the exit code of {@code validate} each implies. */
  static final List<String> OUTCOMES = List.of("accepted", "warning", "error", "problem");

  /** Every case of the manifest, in its order. */
  static List<HostileCase> all() {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (InputStream in =
        Objects.requireNonNull(HostileCase.class.getResourceAsStream(MANIFEST), MANIFEST)) {
      return List.of(yaml.readValue(in, HostileCase[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The input as a file: the committed one, or one generated into {@code scratch} (once per
   * directory).
   */
  Path materialize(Path scratch) {
    if (file != null) {
      URL url = Objects.requireNonNull(HostileCase.class.getResource("/hostile/" + file), file);
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return HostileInputs.generate(Objects.requireNonNull(generate, id), scratch);
  }

  /** Whether the input is one of the big ones generated at run time. */
  boolean isGenerated() {
    return generate != null;
  }

  @Override
  public String toString() {
    return id;
  }
}
