package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-made resource sets a real Envoy rejects ({@code real-envoy/reject}), and accepted near
 * misses ({@code real-envoy/accept}), each judged twice: by {@link EnvoyAcceptance} offline and by
 * a real Envoy through {@link RealEnvoy#load}. The real Envoy must give the recorded verdict (and,
 * for a rejection, the recorded text); {@link EnvoyAcceptance} must report an error (a rule other
 * than {@code trap.*}) exactly where Envoy rejects, unless the case is a known difference listed
 * here and in {@code docs/acceptance-differences.md}. The offline half runs without an Envoy; the
 * real half uses the JVM's {@link SharedRealEnvoy}.
 */
class RealEnvoyRejectionTest {
  /** Case name to the reason {@link EnvoyAcceptance} and Envoy disagree on it. */
  private static final Map<String, String> KNOWN_DIFFERENCES =
      Map.of(
          "14-rbac-before-tcp-proxy",
          "EnvoyAcceptance opens only the Any types it knows (EnvoyAcceptance.knownPackedTypes() and their "
              + "files' neighbours) and reports any other as any.unknown-type, an error; Envoy has the RBAC network filter built in.");

  static List<EnvoyCase> rejected() {
    return EnvoyCase.all("reject");
  }

  static List<EnvoyCase> accepted() {
    return EnvoyCase.all("accept");
  }

  @Test
  void thereAreEnoughCases_andBothVerdictsOccur() {
    assertThat(rejected())
        .hasSizeGreaterThanOrEqualTo(25)
        .allSatisfy(c -> assertThat(c.expectRejectedBecause()).as(c.name()).isNotBlank());
    assertThat(accepted())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.expectRejectedBecause()).as(c.name()).isNull());
  }

  @Test
  void everyKnownDifference_namesACase() {
    List<String> names =
        Stream.concat(rejected().stream(), accepted().stream()).map(EnvoyCase::name).toList();
    assertThat(names).containsAll(KNOWN_DIFFERENCES.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void acceptance_reportsAnError_whereEnvoyRejects(EnvoyCase c) {
    assertAcceptanceVerdict(c, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptance_reportsNoError_whereEnvoyAccepts(EnvoyCase c) {
    assertAcceptanceVerdict(c, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void realEnvoy_rejects_withTheRecordedText(EnvoyCase c) {
    LoadResult result = SharedRealEnvoy.get().load(c.listeners(), c.clusters());
    assertThat(result.accepted()).as("%s: %s", c.name(), c.description()).isFalse();
    assertThat(result.rejections())
        .as(c.name())
        .anySatisfy(text -> assertThat(text).contains(c.expectRejectedBecause()));
    assertThat(
            hasError(problems(c)) == !result.accepted() || KNOWN_DIFFERENCES.containsKey(c.name()))
        .as("%s: EnvoyAcceptance %s, Envoy %s", c.name(), problems(c), result)
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void realEnvoy_accepts_theNearMisses(EnvoyCase c) {
    LoadResult result = SharedRealEnvoy.get().load(c.listeners(), c.clusters());
    assertThat(result.accepted()).as("%s: %s -> %s", c.name(), c.description(), result).isTrue();
    assertThat(
            hasError(problems(c)) == !result.accepted() || KNOWN_DIFFERENCES.containsKey(c.name()))
        .as("%s: EnvoyAcceptance %s, Envoy %s", c.name(), problems(c), result)
        .isTrue();
  }

  private static void assertAcceptanceVerdict(EnvoyCase c, boolean envoyRejects) {
    List<AcceptanceProblem> problems = problems(c);
    if (c.acceptanceRule() != null) {
      assertThat(problems)
          .extracting(AcceptanceProblem::rule)
          .as(c.name())
          .contains(c.acceptanceRule());
    }
    if (KNOWN_DIFFERENCES.containsKey(c.name())) {
      assertThat(hasError(problems))
          .as(
              "%s is a known difference, but EnvoyAcceptance now agrees with Envoy: %s",
              c.name(), problems)
          .isNotEqualTo(envoyRejects);
    } else {
      assertThat(hasError(problems)).as("%s: %s", c.name(), problems).isEqualTo(envoyRejects);
    }
  }

  private static List<AcceptanceProblem> problems(EnvoyCase c) {
    return EnvoyAcceptance.check(c.listeners(), c.clusters());
  }

  private static boolean hasError(List<AcceptanceProblem> problems) {
    return problems.stream().anyMatch(p -> !p.rule().startsWith("trap."));
  }
}
