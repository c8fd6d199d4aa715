package dev.meshpassthrough.core.parse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSuggestionsTest {
  private static final List<String> MATCH = List.of("type", "value", "port", "protocol");
  private static final List<String> CONF = List.of("passthroughMode", "appendMatch");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "appendMatches, appendMatch",
    "appendmatch, appendMatch",
    "passthroughmode, passthroughMode",
    "passthroughMod, passthroughMode",
    "passtroughMode, passthroughMode",
  })
  void nearMissesInConf_suggestTheField(String written, String expected) {
    assertThat(FieldSuggestions.closest(written, CONF)).contains(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "tpye, type",
    "Type, type",
    "ports, port",
    "prot, port",
    "vaule, value",
    "protcol, protocol",
    "protocols, protocol"
  })
  void nearMissesInMatch_suggestTheField(String written, String expected) {
    assertThat(FieldSuggestions.closest(written, MATCH)).contains(expected);
  }

  @Test
  void namesFarFromEveryField_suggestNothing() {
    assertThat(FieldSuggestions.closest("foo", MATCH)).isEmpty();
    assertThat(FieldSuggestions.closest("mode", CONF)).isEmpty();
    assertThat(FieldSuggestions.closest("", MATCH)).isEmpty();
  }

  @Test
  void distance_countsASwapOfNeighboursAsOneEdit() {
    assertThat(FieldSuggestions.distance("prot", "port")).isEqualTo(1);
    assertThat(FieldSuggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(FieldSuggestions.distance("", "abc")).isEqualTo(3);
    assertThat(FieldSuggestions.distance("same", "same")).isZero();
  }
}
