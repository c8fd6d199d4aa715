package dev.meshpassthrough.validation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written label check agrees with govalidator's expression it replaces. */
class KumaDnsNameTest {
  private static final Pattern GOVALIDATOR = Pattern.compile(KumaDnsName.PATTERN);

  @Property(tries = 3000)
  void labelSyntax_agreesWithTheExpression(@ForAll("names") String name) {
    assertThat(KumaDnsName.hasLabelSyntax(name))
        .as("%s", name)
        .isEqualTo(GOVALIDATOR.matcher(name).matches());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "_",
        "-",
        "a",
        "a.",
        "a..",
        "a._",
        "a_.",
        "a__",
        ".a",
        "a.-b",
        "a-.b",
        "-a.b",
        "a.b.",
        "a.b_",
        "a.b._",
        "é.com",
        "svc1.team1.example.com"
      })
  void labelSyntax_agreesWithTheExpressionOnEdges(String name) {
    assertThat(KumaDnsName.hasLabelSyntax(name)).isEqualTo(GOVALIDATOR.matcher(name).matches());
  }

  @ParameterizedTest
  @ValueSource(ints = {62, 63, 64, 65})
  void labelSyntax_agreesWithTheExpressionAroundTheLabelLimit(int length) {
    String label = "a".repeat(length - 1);
    for (String last : new String[] {"a", "_", "-"}) {
      for (String name :
          new String[] {
            label + last,
            label + last + ".",
            label + last + "_",
            "x." + label + last,
            label + last + ".x",
            "x." + label + last + "."
          }) {
        assertThat(KumaDnsName.hasLabelSyntax(name))
            .as("%s", name)
            .isEqualTo(GOVALIDATOR.matcher(name).matches());
      }
    }
  }

  /** Short names over the characters that matter, and long labels near the limit. */
  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> shortNames =
        Arbitraries.strings().withChars("aZ9_-.é").ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> longLabel =
        Arbitraries.integers()
            .between(60, 66)
            .map(n -> "b".repeat(n))
            .flatMap(body -> Arbitraries.of("", "_", "-", ".", "_.", "._").map(end -> body + end));
    return Arbitraries.oneOf(
        shortNames,
        Combinators.combine(shortNames, longLabel, shortNames).as((a, b, c) -> a + b + c),
        Combinators.combine(longLabel, shortNames).as((a, b) -> a + "." + b));
  }
}
