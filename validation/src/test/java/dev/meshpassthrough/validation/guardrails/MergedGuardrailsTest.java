package dev.meshpassthrough.validation.guardrails;

import static dev.meshpassthrough.validation.guardrails.Policies.guardrails;
import static dev.meshpassthrough.validation.guardrails.Policies.matching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.MergedConf;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guardrails on a proxy's merged conf: what policies breach only together. */
class MergedGuardrailsTest {
  private static final FieldPath ENTRIES = FieldPath.of("spec", "default", "appendMatch");

  private static MergedConf merge(MeshPassthroughPolicy... policies) {
    return MergedConf.mergeAll(
        List.of(policies).stream().map(p -> MergedConf.of(p.metadata().name(), p.conf())).toList());
  }

  @Test
  void twoPoliciesThatEachRespectTheWidestPrefix_breachItTogether() {
    Guardrails rules = guardrails("networks:\n  widestPrefix: {ipv4: 8}\n");
    MeshPassthroughPolicy a = matching("a", "{type: CIDR, value: 10.0.0.0/8}");
    MeshPassthroughPolicy b =
        matching("b", "{type: IP, value: 10.0.0.1}", "{type: CIDR, value: 11.0.0.0/8}");

    assertThat(rules.check(a)).isEmpty();
    assertThat(rules.check(b)).isEmpty();
    assertThat(rules.checkMerged(merge(a, b)))
        .containsExactly(
            new Problem(
                "guardrail.network.too-wide",
                Severity.ERROR,
                "entries a appendMatch[0] (CIDR 10.0.0.0/8:*/tcp), b appendMatch[0] (IP 10.0.0.1:*/tcp), "
                    + "b appendMatch[1] (CIDR 11.0.0.0/8:*/tcp) together reach 10.0.0.0/7 on every port, wider "
                    + "than /8, the widest IPv4 prefix the guardrails allow",
                Optional.of("a"),
                Optional.of(ENTRIES.index(0))));
  }

  @Test
  void twoHalvesOfTheAddressSpace_reachEverything_evenWithoutAWidestPrefix() {
    MeshPassthroughPolicy low = matching("low", "{type: CIDR, value: 0.0.0.0/1, port: 443}");
    MeshPassthroughPolicy high = matching("high", "{type: CIDR, value: 128.0.0.0/1, port: 443}");

    assertThat(Guardrails.none().checkMerged(merge(low, high)))
        .extracting(Problem::ruleId, Problem::severity, Problem::policy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "guardrail.network.everything", Severity.ERROR, Optional.of("low")));
    assertThat(
            Guardrails.none()
                .checkMerged(
                    merge(
                        low, matching("other-port", "{type: CIDR, value: 128.0.0.0/1, port: 80}"))))
        .isEmpty();
  }

  @Test
  void withinOnePolicy_theMergedCheckLeavesTheFindingToThePolicyCheck() {
    Guardrails rules = guardrails("networks:\n  widestPrefix: {ipv4: 8}\n");
    MeshPassthroughPolicy both =
        matching("both", "{type: CIDR, value: 10.0.0.0/8}", "{type: CIDR, value: 11.0.0.0/8}");

    assertThat(rules.check(both)).hasSize(1);
    assertThat(rules.checkMerged(merge(both, matching("other", "{type: IP, value: 192.0.2.1}"))))
        .isEmpty();
  }

  @Test
  void entriesPerProxy_countTheMergedConf_atTheFirstEntryOverTheLimit() {
    Guardrails rules = guardrails("maxEntries: {perPolicy: 2, perProxy: 3, severity: warning}\n");
    MeshPassthroughPolicy a =
        matching("a", "{type: IP, value: 10.0.0.1}", "{type: IP, value: 10.0.0.2}");
    MeshPassthroughPolicy b =
        matching("b", "{type: IP, value: 10.0.0.3}", "{type: IP, value: 10.0.0.4}");

    assertThat(rules.checkMerged(merge(a, matching("c", "{type: IP, value: 10.0.0.5}")))).isEmpty();
    assertThat(rules.checkMerged(merge(a, b)))
        .containsExactly(
            new Problem(
                "guardrail.entries.per-proxy",
                Severity.WARNING,
                "the merged conf of the proxy has 4 appendMatch entries (from policies a, b), more than the 3 "
                    + "the guardrails allow per proxy; the first entry over the limit is b appendMatch[1] "
                    + "(IP 10.0.0.4:*/tcp)",
                Optional.of("b"),
                Optional.of(ENTRIES.index(1))));
  }
}
