package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of {@link YamlScalars} for common strings (names, addresses, type URLs, numbers)
 * give the style its general classification gives: on every string of up to three characters of an
 * alphabet of common characters and awkward ones, and on longer seeded random strings.
 */
class YamlScalarsTest {
  /** Common characters of every class, and characters that must leave the shortcuts. */
  private static final String ALPHABET = "aZ09._/-+:*y n'\"#?@,é\n";

  private static final long SEED = 19_2;

  @Test
  void commonStyles_equalTheGeneralOnes() {
    for (String text : strings()) {
      if (YamlScalars.commonValueStyle(text) != null) {
        assertThat(YamlScalars.commonValueStyle(text))
            .as(text)
            .isEqualTo(YamlScalars.generalValueStyle(text));
      }
      if (YamlScalars.commonKeyStyle(text) != null) {
        assertThat(YamlScalars.commonKeyStyle(text))
            .as(text)
            .isEqualTo(YamlScalars.generalKeyStyle(text));
      }
    }
  }

  @Test
  void plainCommonBytes_arePlainForTheGeneralClassification() {
    for (String text : strings()) {
      byte[] bytes = ("<" + text + ">").getBytes(StandardCharsets.UTF_8);
      int length = bytes.length - 2;
      if (length == 0 || !allCommon(bytes, 1, length)) {
        continue;
      }
      if (YamlScalars.isPlainCommonValue(bytes, 1, length)) {
        assertThat(YamlScalars.generalValueStyle(text)).as(text).isEqualTo(YamlScalars.Style.PLAIN);
      }
      if (YamlScalars.isPlainCommonKey(bytes, 1, length)) {
        assertThat(YamlScalars.generalKeyStyle(text)).as(text).isEqualTo(YamlScalars.Style.PLAIN);
      }
    }
  }

  @Test
  void stringsOfATranslation_takeTheShortcuts() {
    for (String text :
        List.of(
            "type.googleapis.com/envoy.config.listener.v3.Listener",
            "meshpassthrough_10000_*.zone9.example.org",
            "outbound:passthrough:ipv4",
            "10.0.0.1",
            "2001:db8::1")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(YamlScalars.commonValueStyle(text)).as(text).isEqualTo(YamlScalars.Style.PLAIN);
      assertThat(YamlScalars.isPlainCommonValue(bytes, 0, bytes.length)).as(text).isTrue();
    }
    for (String text : List.of("*.example.com", "a:", "-1.5", "true", "yes", "---x")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(YamlScalars.isPlainCommonValue(bytes, 0, bytes.length)).as(text).isFalse();
    }
  }

  private static boolean allCommon(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (!YamlScalars.isCommon(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  /** Every string of up to three characters of the alphabet, reserved words, longer random ones. */
  private static List<String> strings() {
    List<String> strings = new ArrayList<>(List.of("", "false", "False", "FALSE", "NULL", "~"));
    List<String> shorter = List.of("");
    for (int length = 1; length <= 3; length++) {
      List<String> longer = new ArrayList<>();
      for (String prefix : shorter) {
        for (char c : ALPHABET.toCharArray()) {
          longer.add(prefix + c);
        }
      }
      strings.addAll(longer);
      shorter = longer;
    }
    Random random = new Random(SEED);
    String common = "aZ09._/-+:*";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = 4 + random.nextInt(8);
      String alphabet = random.nextBoolean() ? common : ALPHABET;
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      strings.add(text.toString());
    }
    return strings;
  }

  /**
   * The run of bytes checked eight at a time agrees with the byte-by-byte table: every byte value
   * at every place of a word and of the tail, and random runs of common and other bytes at every
   * offset and length.
   */
  @Test
  void aRunOfBytes_isCommonExactlyWhenEachByteIs() {
    for (int value = 0; value < 256; value++) {
      for (int length = 1; length <= 20; length++) {
        for (int at = 0; at < length; at++) {
          byte[] run = new byte[length];
          java.util.Arrays.fill(run, (byte) 'a');
          run[at] = (byte) value;
          assertThat(YamlScalars.isCommon(run, 0, length))
              .as("byte %d at %d of %d", value, at, length)
              .isEqualTo(YamlScalars.isCommon((byte) value));
        }
      }
    }
    Random random = new Random(20261205L);
    byte[] alphabet = "aZ09._/-+:*,;@[`{ ~\"".getBytes(StandardCharsets.ISO_8859_1);
    for (int round = 0; round < 20_000; round++) {
      byte[] run = new byte[random.nextInt(40)];
      for (int i = 0; i < run.length; i++) {
        run[i] = random.nextInt(10) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(8)];
      }
      int offset = run.length == 0 ? 0 : random.nextInt(run.length);
      int length = random.nextInt(run.length - offset + 1);
      boolean each = true;
      for (int i = offset; i < offset + length; i++) {
        each &= YamlScalars.isCommon(run[i]);
      }
      assertThat(YamlScalars.isCommon(run, offset, length)).isEqualTo(each);
    }
  }
}
