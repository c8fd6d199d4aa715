package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing the library or the command line prints depends on the default locale. Turkish and Azeri
 * lower-case {@code I} to a dotless {@code ı} (so {@code "WIKI".toLowerCase()} is not {@code
 * "wiki"}); Arabic and Thai with native digits format numbers in other digits; German writes a
 * decimal comma. The inputs hold upper-case domains with an {@code I}, numbers in messages and
 * every kind of violation.
 */
class LocaleDeterminismTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tr-TR", "az-Latn-AZ", "ar-EG-u-nu-arab", "th-TH-u-nu-thai", "de-DE"})
  void pipelineTranscripts_areByteIdenticalToTheRootLocales(String languageTag) {
    Map<Path, String> root = underLocale(Locale.ROOT, LocaleDeterminismTest::pipelineTranscripts);
    Map<Path, String> other =
        underLocale(Locale.forLanguageTag(languageTag), LocaleDeterminismTest::pipelineTranscripts);

    assertThat(other).containsExactlyEntriesOf(root);
  }

  @Test
  void commandLineOutput_isByteIdenticalUnderATurkishLocale() {
    Map<Path, String> root = underLocale(Locale.ROOT, LocaleDeterminismTest::commandLineOutput);
    Map<Path, String> other =
        underLocale(Locale.forLanguageTag("tr-TR"), LocaleDeterminismTest::commandLineOutput);

    assertThat(other).containsExactlyEntriesOf(root);
  }

  /**
   * Runs {@code work} with {@code locale} as the default of every category, then restores the
   * default.
   */
  private static <T> T underLocale(Locale locale, Supplier<T> work) {
    Locale previous = Locale.getDefault();
    Locale display = Locale.getDefault(Locale.Category.DISPLAY);
    Locale format = Locale.getDefault(Locale.Category.FORMAT);
    try {
      Locale.setDefault(locale);
      return work.get();
    } finally {
      Locale.setDefault(previous);
      Locale.setDefault(Locale.Category.DISPLAY, display);
      Locale.setDefault(Locale.Category.FORMAT, format);
    }
  }

  /** A pipeline built under the locale (in case something is computed once), over every input. */
  private static Map<Path, String> pipelineTranscripts() {
    Pipeline pipeline = Pipeline.standard();
    Map<Path, String> transcripts = new LinkedHashMap<>();
    for (Path input : TestInputs.all()) {
      transcripts.put(input, pipeline.run(input).transcript());
    }
    return transcripts;
  }

  private static Map<Path, String> commandLineOutput() {
    Map<Path, String> outputs = new LinkedHashMap<>();
    for (Path input : TestInputs.all()) {
      CliOutcome validate = CliOutcome.inProcess("validate", input.toString());
      CliOutcome translate = CliOutcome.inProcess("translate", input.toString());
      outputs.put(input, validate + "\n" + translate);
    }
    return outputs;
  }
}
