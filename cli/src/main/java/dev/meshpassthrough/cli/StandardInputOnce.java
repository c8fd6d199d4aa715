package dev.meshpassthrough.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Refuses a command line that names standard input ({@code -}) more than once: a stream can be read
 * only once, and reading nothing the second time would silently drop an input the user named.
 */
final class StandardInputOnce {
  private StandardInputOnce() {}

  /**
   * Checks the inputs of the command that runs (the last subcommand).
   *
   * @throws CommandLine.ParameterException when {@code -} is given twice or more: a usage error
   */
  static void check(ParseResult parsed) {
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    int times = 0;
    for (PositionalParamSpec positional : command.matchedPositionals()) {
      for (String value : positional.originalStringValues()) {
        if (value.equals(PolicyInputs.STDIN)) {
          times++;
        }
      }
    }
    if (times > 1) {
      throw new CommandLine.ParameterException(
          command.commandSpec().commandLine(),
          "standard input (-) is given "
              + times
              + " times, but it can be read only once: give - once");
    }
  }
}
