package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Misuse of the command line: one hint, suggestions for typos, and each command's own --output
 * formats.
 */
class CommandLineUsageTest {

  @Test
  void aMisspeltCommand_suggestsTheCommandMeant() {
    CliRun run = CliRun.of("valdate", "x.yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("Did you mean: validate")
        .doesNotContain("meshpassthrough validate");
  }

  @Test
  void aMisspeltOption_suggestsTheOptionMeant() {
    assertThat(CliRun.of("validate", "--outptu", "sarif", "x.yaml").err())
        .contains("Possible solutions: --output");
  }

  @Test
  void aMissingCommand_printsTheHelpHintOnce() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("meshpassthrough: Missing command\nTry 'meshpassthrough --help'.\n");
  }

  @Test
  void everyUsageError_printsTheHelpHintOnce() {
    for (String[] args :
        new String[][] {
          {"frobnicate"},
          {"valdate"},
          {"validate"},
          {"validate", "--output", "xml", "x"},
          {"translate", "--output", "text", "x"}
        }) {
      String err = CliRun.of(args).err();
      assertThat(err.split("Try '", -1)).as(err).hasSize(2);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "validate, junit, xml, 'text, yaml, json, sarif, github or junit for validate'",
    "translate, yaml, text, 'json or yaml for translate'",
    "resolve, json, sarif, 'yaml or json for resolve'",
    "explain, yaml, sarif, 'text, json or yaml for explain'",
    "lint, json, yaml, 'text or json for lint'"
  })
  void eachCommand_acceptsAndListsOnlyItsOwnOutputFormats(
      String command, String accepted, String refused, String listed) {
    CliRun run = CliRun.of(command, "--output", refused, "--help");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("unknown format '" + refused + "' (--output must be " + listed + ")");
    assertThat(CliRun.of(command, "--output", accepted, "--help").exitCode()).isZero();
  }

  @Test
  void validateHelp_documentsTheExitCodes_andTheNewOptions() {
    String help = CliRun.of("validate", "--help").out();

    assertThat(help).contains("Exit status: 0", "--fail-on", "--strict-kinds", "sarif");
  }

  @ParameterizedTest
  @CsvSource({"translate", "resolve", "explain"})
  void everyCommandThatReadsPolicies_takesStrictKinds(String command) {
    assertThat(CliRun.of(command, "--help").out()).contains("--strict-kinds");
  }
}
