package dev.meshpassthrough.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load report's code path at a small size: correctness of what it checks, no timing. */
class AdsLoadReportTest {

  @Test
  void aPolicyFileChange_reachesEveryAffectedClient_andNoOther() throws Exception {
    AdsLoadReport.Result result =
        AdsLoadReport.run(new AdsLoadReport.Options(20, 10, 3, Duration.ofSeconds(60)));

    assertThat(result.streams()).isEqualTo(20);
    assertThat(result.affected()).isEqualTo(2);
    assertThat(result.updated()).isEqualTo(2);
    assertThat(result.unaffectedUpdated()).isZero();
    assertThat(result.wrongVersion()).isZero();
    assertThat(result.runs()).isEqualTo(2);
    assertThat(result.ok()).isTrue();
  }

  @Test
  void options_areParsedAndBounded() {
    AdsLoadReport.Options options =
        AdsLoadReport.parse(new String[] {"--streams", "50", "--affected-percent", "20"});
    assertThat(options.streams()).isEqualTo(50);
    assertThat(options.affectedPercent()).isEqualTo(20);
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void theChangingPolicy_selectsExactlyItsShare() {
    for (int n : new int[] {20, 200, 1_000, 10_000}) {
      for (int percent : new int[] {1, 10, 33}) {
        int count = 0;
        for (int i = 0; i < n; i++) {
          if (ControlPlaneFixture.selected(i, percent)) {
            count++;
          }
        }
        assertThat(count).isEqualTo(ControlPlaneFixture.selectedCount(n, percent));
      }
    }
  }
}
