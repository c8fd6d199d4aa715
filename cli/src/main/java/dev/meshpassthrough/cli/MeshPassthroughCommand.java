package dev.meshpassthrough.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code meshpassthrough} command. */
@Command(
    name = "meshpassthrough",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Validate MeshPassthrough policies (Kuma / Kong Mesh) and translate them into Envoy configuration.",
    subcommands = {
      ValidateCommand.class,
      TranslateCommand.class,
      ResolveCommand.class,
      ExplainCommand.class,
      ReplayCommand.class,
      SuggestCommand.class,
      DiffCommand.class,
      LintCommand.class,
      AuditLabelsCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MeshPassthroughCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // The handler adds the one "Try 'meshpassthrough --help'." line.
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /**
   * Runs the command line with the given streams and returns the exit code; never throws and never
   * calls {@link System#exit}.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Streams streams = new Streams(in, out, err);
    CommandLine cli = new CommandLine(new MeshPassthroughCommand(), new StreamsFactory(streams));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExitCodeExceptionMapper(e -> ExitCode.UNREADABLE);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          PrintWriter stderr = e.getCommandLine().getErr();
          stderr.println("meshpassthrough: " + e.getMessage());
          suggestions(e).ifPresent(stderr::println);
          stderr.println(
              "Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.UNREADABLE;
        });
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          c.getErr().println("meshpassthrough: internal error: " + e);
          if (isDebug(args)) {
            e.printStackTrace(c.getErr());
          } else {
            c.getErr().println("Run again with --debug for the stack trace.");
          }
          return ExitCode.UNREADABLE;
        });
    cli.setExecutionStrategy(
        parsed -> {
          StandardInputOnce.check(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    return cli.execute(args);
  }

  /**
   * "Did you mean: validate?" for a misspelt command, "Possible solutions: --output" for an option:
   * picocli's suggestions, with commands named as typed after {@code meshpassthrough}.
   */
  static Optional<String> suggestions(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)
        || unmatched.getSuggestions().isEmpty()) {
      return Optional.empty();
    }
    String prefix = e.getCommandLine().getCommandSpec().qualifiedName() + " ";
    List<String> names =
        unmatched.getSuggestions().stream()
            .map(s -> s.startsWith(prefix) ? s.substring(prefix.length()) : s)
            .toList();
    return Optional.of(
        unmatched.isUnknownOption()
            ? "Possible solutions: " + String.join(", ", names)
            : "Did you mean: " + String.join(" or ", names) + "?");
  }

  private static boolean isDebug(String[] args) {
    for (String arg : args) {
      if (arg.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** Gives every command the streams of this run. */
  private record StreamsFactory(Streams streams) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (StreamsAware.class.isAssignableFrom(cls)) {
        K command = CommandLine.defaultFactory().create(cls);
        ((StreamsAware) command).setStreams(streams);
        return command;
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
