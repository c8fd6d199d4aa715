package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.internal.Outcomes;
import dev.meshpassthrough.core.resolve.internal.Selection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The resolver: index lookup, selection, precedence sort, merge and outcome. Stateless. */
final class DefaultPolicyResolver implements PolicyResolver {
  static final DefaultPolicyResolver INSTANCE = new DefaultPolicyResolver();

  private DefaultPolicyResolver() {}

  @Override
  public Resolution resolve(
      PolicySet policies, ProxyDescriptor proxy, ControlPlaneContext context) {
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(context, "context");
    KumaLine line = context.line();
    if (line == KumaLine.V3 && proxy.gateway() == ProxyDescriptor.GatewayKind.BUILTIN) {
      throw new IllegalArgumentException(
          "proxy " + proxy.name() + " is a builtin gateway, which Kuma 3.x does not have");
    }
    List<Problem> warnings = new ArrayList<>();
    List<AppliedPolicy> applied = new ArrayList<>();
    for (MeshPassthroughPolicy policy : policies.index().candidates(proxy, line)) {
      Optional<String> why = Selection.why(policy, proxy, line, warnings::add);
      why.ifPresent(w -> applied.add(new AppliedPolicy(policy, w, RankKeys.of(policy, line))));
    }
    applied.sort(Comparator.comparing(AppliedPolicy::rankKeys, RankKeys.PRECEDENCE));
    // Candidates come in index order, which carries no meaning; the text order is that of 0.1's
    // string warnings.
    warnings.sort(Comparator.comparing(Resolution::warningText).thenComparing(Problem::ruleId));
    if (applied.isEmpty()) {
      return Outcomes.resolution(applied, proxy, context, warnings);
    }
    // What follows selection depends only on the selected policies in order, the control plane
    // and whether the plugin applies to the proxy: proxies that select the same policies share it.
    Resolution merged =
        policies
            .merges()
            .get(
                applied,
                proxy.passthroughApplicability(line),
                context,
                () -> Outcomes.resolution(applied, proxy, context, List.of()));
    List<Problem> all = new ArrayList<>(warnings);
    all.addAll(merged.warnings());
    return new Resolution(applied, merged.merged(), merged.effective(), merged.outcome(), all);
  }
}
