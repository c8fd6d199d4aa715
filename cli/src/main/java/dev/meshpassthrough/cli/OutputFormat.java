package dev.meshpassthrough.cli;

import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;

/**
 * The {@code --output} formats. Each command accepts and lists only its own: its {@code --output}
 * option names one of the {@link Choices} below as converter and completion candidates, so that
 * {@code translate --output text} is refused while the command line is read, naming what is
 * accepted.
 */
enum OutputFormat {
  text,
  yaml,
  json,
  /** SARIF 2.1.0, the format code-scanning tools read ({@code validate}). */
  sarif,
  /** GitHub Actions workflow commands, one annotation per problem ({@code validate}). */
  github,
  /** JUnit XML, one test case per document ({@code validate}). */
  junit;

  /**
   * The formats of one command: reads {@code --output} (exactly, lower case) and lists the accepted
   * names for completion.
   */
  abstract static class Choices
      implements CommandLine.ITypeConverter<OutputFormat>, Iterable<String> {
    private final String command;
    private final List<OutputFormat> accepted;

    Choices(String command, OutputFormat... accepted) {
      this.command = command;
      this.accepted = List.of(accepted);
    }

    @Override
    public OutputFormat convert(String value) {
      for (OutputFormat format : accepted) {
        if (format.name().equals(value)) {
          return format;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown format '"
              + PolicyInputs.oneLine(value)
              + "' (--output must be "
              + names()
              + " for "
              + command
              + ")");
    }

    @Override
    public Iterator<String> iterator() {
      return accepted.stream().map(Enum::name).iterator();
    }

    /** The accepted names, {@code a, b or c}. */
    private String names() {
      List<String> names = accepted.stream().map(Enum::name).toList();
      return names.size() == 1
          ? names.get(0)
          : String.join(", ", names.subList(0, names.size() - 1))
              + " or "
              + names.get(names.size() - 1);
    }
  }

  /** {@code validate}: Kuma's shapes in yaml and json, and the machine formats. */
  static final class ForValidate extends Choices {
    ForValidate() {
      super("validate", text, yaml, json, sarif, github, junit);
    }
  }

  /** {@code translate}: the resources as a tree. */
  static final class ForTranslate extends Choices {
    ForTranslate() {
      super("translate", json, yaml);
    }
  }

  /** {@code resolve}: the resolution as a tree. */
  static final class ForResolve extends Choices {
    ForResolve() {
      super("resolve", yaml, json);
    }
  }

  /** {@code explain}: text, or the same explanation as a tree. */
  static final class ForExplain extends Choices {
    ForExplain() {
      super("explain", text, json, yaml);
    }
  }

  /** {@code lint}: text or json. */
  static final class ForLint extends Choices {
    ForLint() {
      super("lint", text, json);
    }
  }
}
