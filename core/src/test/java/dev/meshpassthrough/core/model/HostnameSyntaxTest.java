package dev.meshpassthrough.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The first problem {@link HostnameSyntax} names, for each rule, in the order the rules run. */
class HostnameSyntaxTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "example.com",
        "a",
        "_srv._tcp.example.com",
        "Example.COM",
        "x-1.y_2.z",
        "1.2.3",
        "1.2.3.4.5",
        "123",
        "abc.def",
        "cafe.de"
      })
  void validNames_haveNoProblem(String name) {
    assertThat(HostnameSyntax.problem(name)).isEmpty();
    assertThat(HostnameSyntax.problemWithWildcard("*." + name)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.2.3.4 | the name is an IP address: use type IP",
        "010.1.1.1 | the name is an IP address: use type IP",
        "::1 | the name is an IP address: use type IP",
        "fe80::1%eth0 | the name is an IP address: use type IP",
        "::ffff:1.2.3.4 | the name is an IP address: use type IP",
        "a:b | the label 'a:b' has the character ':'",
        "a%b.com | the label 'a%b' has the character '%'",
        ".example.com | the name has an empty label (two dots in a row, or a leading dot)",
        "a..b | the name has an empty label (two dots in a row, or a leading dot)",
        "-a.com | the label '-a' starts or ends with '-'",
        "a.b-.com | the label 'b-' starts or ends with '-'",
        "a.b c.com | the label 'b c' has the character ' '",
        "a.b*c | the label 'b*c' has the character '*'",
        "example.com. | the name ends with a dot: SNI and Host never carry it, so drop the dot"
      })
  void eachRule_namesTheFirstProblem(String name, String problem) {
    assertThat(HostnameSyntax.problem(name)).contains(problem);
  }

  @ParameterizedTest(name = "label of {0} characters")
  @ValueSource(ints = {63, 64})
  void labelsUpTo63Characters_areAllowed(int length) {
    String label = "a".repeat(length);

    assertThat(HostnameSyntax.problem("x." + label + ".com"))
        .isEqualTo(
            length <= HostnameSyntax.MAX_LABEL_LENGTH
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                    "the label '" + label + "' is 64 characters long, more than 63"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "* | a lone * matches every name: use passthroughMode All, or list the domains",
        "*.*.x.com | * is allowed only as the whole leftmost label",
        "a.*.com | * is allowed only as the whole leftmost label",
        "*.1.2.3.4 | the name is an IP address: use type IP",
        "*.-x.com | the label '-x' starts or ends with '-'"
      })
  void wildcards_areCheckedAfterTheirStar(String value, String problem) {
    assertThat(HostnameSyntax.problemWithWildcard(value)).contains(problem);
  }
}
