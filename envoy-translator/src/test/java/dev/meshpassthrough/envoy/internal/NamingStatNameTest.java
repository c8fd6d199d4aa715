package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Statistics names: every character outside {@code [a-zA-Z0-9_-]} becomes {@code _}. */
class NamingStatNameTest {

  @Test
  void keepsWhatKumaKeeps_andReplacesTheRest() {
    assertThat(Naming.statName("meshpassthrough_tcp_fd01:407::/32_8080"))
        .isEqualTo("meshpassthrough_tcp_fd01_407___32_8080");
    assertThat(Naming.statName("a-Z_09.*é\u0100\uD83D\uDE00")).isEqualTo("a-Z_09______");
    String kept = "abc-XYZ_019";
    assertThat(Naming.statName(kept)).isSameAs(kept);
  }

  @Property(tries = 2000)
  void everyCharacter_isKeptExactlyWhenAsciiLetterDigitUnderscoreOrHyphen(@ForAll char c) {
    boolean kept =
        (c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '_'
            || c == '-';

    assertThat(Naming.statName("x" + c + "y")).isEqualTo("x" + (kept ? c : '_') + "y");
  }

  @Property(tries = 2000)
  void everyString_isSanitisedCharByChar(@ForAll String name) {
    // Surrogate pairs included: each half is a char of its own and becomes '_'.
    StringBuilder expected = new StringBuilder();
    for (char c : name.toCharArray()) {
      expected.append(Naming.statName(String.valueOf(c)));
    }

    assertThat(Naming.statName(name)).isEqualTo(expected.toString());
  }

  @Property(tries = 2000)
  void alteredStatName_isTheStatNameAsBytes_orNullWhenUnchanged(@ForAll String name) {
    String statName = Naming.statName(name);

    if (statName.equals(name)) {
      assertThat(Naming.alteredStatName(name)).isNull();
    } else {
      assertThat(Naming.alteredStatName(name)).isEqualTo(ByteString.copyFromUtf8(statName));
    }
  }

  @Test
  void alteredStatName_ofNamesOfEveryKind() {
    assertThat(Naming.alteredStatName("meshpassthrough_tcp_10.0.0.1_443"))
        .isEqualTo(ByteString.copyFromUtf8("meshpassthrough_tcp_10_0_0_1_443"));
    assertThat(Naming.alteredStatName("a-Z_09.*é\u0100\uD83D\uDE00"))
        .isEqualTo(ByteString.copyFromUtf8("a-Z_09______"));
    assertThat(Naming.alteredStatName("abc-XYZ_019")).isNull();
  }
}
