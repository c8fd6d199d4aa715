package dev.meshpassthrough.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The {@code --connections} and {@code --strict} options of {@code replay} and {@code suggest} (a
 * picocli mixin), and the reading of that input: opens the file (or standard input for {@code -}),
 * reads it with {@link ConnectionLines}, counts the malformed lines, and says on standard error why
 * it could not be read, or which line {@code --strict} stopped at.
 */
final class ConnectionInput {
  @Option(
      names = "--connections",
      paramLabel = "FILE",
      required = true,
      description =
          "The observed connections, one per line (CSV, Envoy JSON access log or audit log); - for standard input.")
  String connections = "";

  @Option(
      names = "--strict",
      description = "Stop at the first malformed line and exit with 1, naming it.")
  boolean strict;

  /** Whether the connections are read from standard input. */
  boolean isStandardInput() {
    return connections.equals(PolicyInputs.STDIN);
  }

  /** The input's name in messages: the path, or {@code <stdin>}. */
  String source() {
    return isStandardInput() ? "<stdin>" : connections;
  }

  /**
   * How the input was read.
   *
   * @param summary the format and line count, empty when the input could not be read or {@code
   *     --strict} met a malformed line
   * @param malformed the malformed lines
   * @param exitCode {@link ExitCode#OK} with a summary, else why there is none
   */
  record Result(
      Optional<ConnectionLines.Summary> summary, MalformedLines malformed, int exitCode) {}

  /**
   * Reads every connection of {@code --connections} into {@code sink}; with {@code --strict} the
   * first malformed line ends the reading with {@link ExitCode#INVALID}.
   *
   * @param streams the run's streams; problems are printed on its standard error
   * @param sink receives each connection, in input order
   */
  Result read(Streams streams, Consumer<ConnectionClass> sink) {
    MalformedLines malformed = new MalformedLines();
    ConnectionLines.Summary read;
    String name = source();
    try (Reader reader = open(streams)) {
      read =
          ConnectionLines.of(reader)
              .read(
                  new ConnectionLines.Sink() {
                    @Override
                    public void connection(ConnectionClass connection) {
                      sink.accept(connection);
                    }

                    @Override
                    public void malformed(long line, String reason) {
                      malformed.add(line, reason);
                    }
                  },
                  strict ? ConnectionLines.OnMalformed.STOP : ConnectionLines.OnMalformed.CONTINUE);
    } catch (IOException e) {
      streams
          .err()
          .println(
              "meshpassthrough: cannot read the connections "
                  + name
                  + ": "
                  + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
      return new Result(Optional.empty(), malformed, ExitCode.UNREADABLE);
    } catch (ConnectionLines.UnknownFormatException e) {
      streams.err().println("meshpassthrough: " + name + ": " + e.getMessage());
      return new Result(Optional.empty(), malformed, ExitCode.UNREADABLE);
    }
    if (strict && malformed.count() > 0) {
      MalformedLines.Line first = malformed.first().get(0);
      streams
          .err()
          .println(
              "meshpassthrough: "
                  + name
                  + ": line "
                  + first.number()
                  + " is malformed: "
                  + first.reason()
                  + " (--strict)");
      return new Result(Optional.empty(), malformed, ExitCode.INVALID);
    }
    return new Result(Optional.of(read), malformed, ExitCode.OK);
  }

  private Reader open(Streams streams) throws IOException {
    InputStream in = isStandardInput() ? streams.in() : Files.newInputStream(Path.of(connections));
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
